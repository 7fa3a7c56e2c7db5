package io.ggen.marketplace.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code gpack.toml} as users write it and as archives from peers carry it. The contract:
 * parsing never throws (every defect is a problem with a rule and a one-line message), and
 * loading a pack directory (which also matches the manifest's globs against its files) never
 * throws either.
 */
class ManifestFuzzTest {
    private static Path pack;

    private static synchronized Path pack() throws IOException {
        if (pack == null) {
            pack = Files.createTempDirectory("ggen-fuzz-pack");
            pack.toFile().deleteOnExit();
            Files.createDirectories(pack.resolve("templates/sub"));
            Files.writeString(pack.resolve("templates/a.tmpl"), "a");
            Files.writeString(pack.resolve("templates/sub/b.tmpl"), "b");
            Files.writeString(pack.resolve("README.md"), "readme");
        }
        return pack;
    }

    @FuzzTest
    void text(byte[] input) throws IOException {
        String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        ManifestParser.Loaded parsed = ManifestParser.parseText(text, Path.of(ManifestParser.FILE_NAME));
        check(parsed);
        Path dir = pack();
        Files.write(dir.resolve(ManifestParser.FILE_NAME), input);
        ManifestParser.Loaded loaded = ManifestParser.load(dir);
        check(loaded);
        if (loaded.manifest() != null) assertThat(loaded.coveredFiles()).allSatisfy(f -> assertThat(dir.resolve(f).normalize()).startsWith(dir));
    }

    private static void check(ManifestParser.Loaded l) {
        assertThat(l.ok()).isEqualTo(l.errors().isEmpty());
        for (ManifestProblem p : l.problems()) {
            assertThat(p.rule()).isNotBlank();
            assertThat(p.message()).isNotBlank().doesNotContain("\n");
        }
    }
}
