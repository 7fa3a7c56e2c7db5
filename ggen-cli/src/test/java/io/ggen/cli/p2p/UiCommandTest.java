package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When {@code ggen marketplace p2p ui} starts a browser: only in a graphical session with xdg-open at hand. */
class UiCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aBrowserIsStartedOnlyWithADisplayAndXdgOpen() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path opener = Files.writeString(bin.resolve("xdg-open"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(opener, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = tmp.resolve("empty") + ":" + bin;
        assertThat(UiCommand.browserOpener(Map.of("PATH", path, "DISPLAY", ":0"))).contains(opener);
        assertThat(UiCommand.browserOpener(Map.of("PATH", path, "WAYLAND_DISPLAY", "wayland-0"))).contains(opener);
        assertThat(UiCommand.browserOpener(Map.of("PATH", path))).as("no graphical session").isEmpty();
        assertThat(UiCommand.browserOpener(Map.of("PATH", path, "DISPLAY", " "))).as("a blank DISPLAY").isEmpty();
        assertThat(UiCommand.browserOpener(Map.of("PATH", tmp.resolve("empty").toString(), "DISPLAY", ":0"))).as("no xdg-open").isEmpty();
        Files.setPosixFilePermissions(opener, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(UiCommand.browserOpener(Map.of("PATH", path, "DISPLAY", ":0"))).as("not executable").isEmpty();
    }
}
