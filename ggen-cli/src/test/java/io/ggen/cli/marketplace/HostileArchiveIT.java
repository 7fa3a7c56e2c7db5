package io.ggen.cli.marketplace;

import static io.ggen.cli.testing.CraftedArchives.file;
import static io.ggen.cli.testing.CraftedArchives.plantRelease;
import static io.ggen.cli.testing.CraftedArchives.symlink;
import static io.ggen.cli.testing.CraftedArchives.tarGz;
import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.cli.testing.Ggen;
import io.ggen.marketplace.manifest.ManifestParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives a publisher crafted by hand (validly signed by the package's owner, so only the
 * unpacker stands between them and the user's disk), installed through the real ggen command.
 */
class HostileArchiveIT {
    @TempDir
    Path tmp;
    Ggen ggen;

    @BeforeEach
    void setUp() throws Exception {
        ggen = Ggen.in(tmp);
        Ggen.Result r = ggen.run("marketplace", "key", "generate");
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private Ggen.Result install(String id, Path project) throws Exception {
        return ggen.run("marketplace", "install", id, "--target", project.toString());
    }

    private static void assertNothingInstalled(Path project) throws IOException {
        assertThat(project.resolve("ggen.lock")).doesNotExist();
        if (!Files.exists(project)) return;
        try (Stream<Path> s = Files.walk(project)) {
            // Nothing but the project's (empty) install lock, which stays so every install locks the same file.
            assertThat(s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
                    .filter(p -> !p.equals(project.resolve(".ggen/install.lock"))).toList()).isEmpty();
        }
    }

    /** Issue 15: {@code d/l -> ../b/b/b/.../../../../etc/passwd} then {@code b -> .} installed and resolved to /etc/passwd. */
    @Test
    void aLinkIsRefusedWhicheverOrderTheEntriesCome() throws Exception {
        // inside on paper while b is a directory; with b -> . every b is the target itself, and the
        // twenty '..' climb to / from any target less deep than that
        String deep = "../" + "b/".repeat(20) + "../".repeat(20) + "etc/passwd";
        byte[] manifest = "[gpack]\n".getBytes();
        plantRelease(ggen.home, "io.evil.linkfirst", tarGz("UTF-8", t -> {
            file(t, "gpack.toml", manifest);
            symlink(t, "d/l", deep);
            symlink(t, "b", ".");
        }));
        plantRelease(ggen.home, "io.evil.linklast", tarGz("UTF-8", t -> {
            file(t, "gpack.toml", manifest);
            symlink(t, "b", ".");
            symlink(t, "d/l", deep);
        }));
        Path project = tmp.resolve("project");
        Ggen.Result first = install("io.evil.linkfirst", project);
        assertThat(first.exit()).as(first.toString()).isEqualTo(1);
        assertThat(first.err()).startsWith("error: ").contains("archive entry 'd/l' is a symbolic link").doesNotContain("\tat ");
        assertThat(first.err().lines().count()).as(first.err()).isEqualTo(1);
        Ggen.Result last = install("io.evil.linklast", project);
        assertThat(last.exit()).as(last.toString()).isEqualTo(1);
        assertThat(last.err()).contains("archive entry 'b' is a symbolic link");
        assertNothingInstalled(project);
    }

    @Test
    void aNameThatIsNotUtf8IsRefusedWithItsBytesShown() throws Exception {
        plantRelease(ggen.home, "io.evil.latin1", tarGz("ISO-8859-1", t -> {
            file(t, "gpack.toml", "[gpack]\n".getBytes());
            file(t, "templates/caf\u00e9.tmpl", "x".getBytes());
        }));
        Path project = tmp.resolve("project");
        Ggen.Result r = install("io.evil.latin1", project);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("archive entry name 'templates/caf\\xe9.tmpl' is not valid UTF-8").doesNotContain("\ufffd");
        assertNothingInstalled(project);
    }

    @Test
    void aManifestOverThePublishLimitIsRefused() throws Exception {
        byte[] big = new byte[(int) ManifestParser.MAX_MANIFEST_BYTES + 1];
        new Random(1).nextBytes(big);
        plantRelease(ggen.home, "io.evil.bigmanifest", tarGz("UTF-8", t -> file(t, "gpack.toml", big)));
        Path project = tmp.resolve("project");
        Ggen.Result r = install("io.evil.bigmanifest", project);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("gpack.toml is " + big.length + " bytes; a manifest may be at most " + ManifestParser.MAX_MANIFEST_BYTES);
        assertNothingInstalled(project);
    }
}
