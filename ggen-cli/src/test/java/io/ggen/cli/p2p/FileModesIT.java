package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.cli.testing.Ggen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The data directory and its secrets are the user's alone, whichever command comes first. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FileModesIT {
    @TempDir
    Path tmp;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void whicheverCommandCreatesTheDataDirectoryItIsPrivate() throws Exception {
        Ggen user = Ggen.in(tmp);
        List<List<String>> firsts = List.of(
                List.of("marketplace", "key", "generate"),
                List.of("marketplace", "search", "anything"),
                List.of("marketplace", "p2p", "config", "init"),
                List.of("marketplace", "doctor"));
        int i = 0;
        for (List<String> first : firsts) {
            Path home = tmp.resolve("fresh-" + i++).resolve("ggen-home"); // the parent is missing too
            Ggen.Result r = user.run(Map.of("GGEN_HOME", home.toString()), first.toArray(String[]::new));
            assertThat(home).as(first + ": " + r).isDirectory();
            assertThat(mode(home)).as(String.join(" ", first)).isEqualTo("rwx------");
            assertThat(mode(home.getParent())).as(String.join(" ", first) + " (a parent it created)").isEqualTo("rwx------");
        }
    }

    @Test
    void aLooseApiTokenIsReplacedAndALooseIdentityKeyRefused() throws Exception {
        Path h = Files.createDirectories(tmp.resolve("home"));
        Ggen g = Ggen.at(h);
        Ggen.Running first = g.startNode();
        String peerId = first.peerId;
        first.close();
        Path token = h.resolve("api.token");
        Path identity = h.resolve("identity.key");
        String oldToken = Files.readString(token);

        // the token was readable by everyone: whoever read it must hold nothing after the next start
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(h, PosixFilePermissions.fromString("rwxr-xr-x")); // as an older ggen left it
        try (Ggen.Running again = g.startNode()) {
            assertThat(mode(token)).isEqualTo("rw-------");
            assertThat(Files.readString(token)).isNotEqualTo(oldToken);
            assertThat(g.run("marketplace", "p2p", "status").exit()).isZero();
        }
        String log = Files.readString(h.resolve("logs/node.log"));
        assertThat(log).contains("api.token had mode rw-r--r--").contains("replaced it with a new token");
        assertThat(log).contains("data directory " + h + " is open to other users (mode rwxr-xr-x); 'chmod 700 " + h + "'");

        // the identity key was readable by the group: refused, whichever way the node is started
        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-r-----"));
        for (List<String> start : List.of(List.of("marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/0"),
                List.of("marketplace", "p2p", "start", "--daemon", "--listen", "/ip4/127.0.0.1/tcp/0"))) {
            Ggen.Result r = g.run(start.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: identity key " + identity + " is open to other users (mode rw-r-----); run 'chmod 600 " + identity + "'");
            assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        }
        assertThat(h.resolve("node.json")).doesNotExist();
        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-------"));
        try (Ggen.Running fixed = g.startNode()) {
            assertThat(fixed.peerId).isEqualTo(peerId);
        }
    }
}
