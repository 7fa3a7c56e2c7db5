package io.ggen.marketplace.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesReplaceWholeAndLeaveNoTempFile() throws Exception {
        Path f = dir.resolve("node.json");
        AtomicFiles.write(f, "one".getBytes(), AtomicFiles.OWNER_ONLY, true);
        AtomicFiles.write(f, "two".getBytes(), AtomicFiles.OWNER_ONLY, true);
        assertThat(f).hasContent("two");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("node.json");
        }
    }

    @Test
    void theTempFileOfAProcessKilledMidWriteIsALeftoverWhileALiveOnesStays() throws Exception {
        Process killed = new ProcessBuilder("sleep", "600").start();
        Process alive = new ProcessBuilder("sleep", "600").start();
        try {
            Path left = Files.writeString(dir.resolve(".node.json.tmp-" + killed.pid() + "-41"), "{\"pi");
            Path live = Files.writeString(dir.resolve(".api.token.tmp-" + alive.pid() + "-7"), "tok");
            Path mine = Files.writeString(dir.resolve(".ggen.lock.tmp-" + ProcessHandle.current().pid() + "-1"), "v");
            Path other = Files.writeString(dir.resolve(".notes.tmp-draft"), "kept");
            killed.destroyForcibly();
            killed.waitFor();
            assertThat(AtomicFiles.removeLeftovers(dir)).isEqualTo(1);
            assertThat(left).doesNotExist();
            assertThat(live).exists();
            assertThat(mine).exists();
            assertThat(other).exists();
        } finally {
            alive.destroyForcibly();
            killed.destroyForcibly();
        }
    }
}
