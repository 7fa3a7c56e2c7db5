package io.ggen.marketplace.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds small pack directories for tests. */
public final class Packs {
    private Packs() {}

    public static String manifest(String id, String version, String extra) {
        return """
                [gpack]
                id = "%s"
                name = "Test pack %s"
                version = "%s"
                description = "A pack for tests"
                license = "MIT"
                ggen_compat = ">=0.1.0"
                keywords = ["rust", "cli"]
                tags = ["test"]
                %s
                """.formatted(id, id, version, extra);
    }

    public static Path write(Path dir, String manifest) throws IOException {
        Files.createDirectories(dir.resolve("templates/cli"));
        Files.writeString(dir.resolve("gpack.toml"), manifest);
        Files.writeString(dir.resolve("templates/cli/main.tmpl"), "fn main() { println!(\"{{ name }}\"); }\n");
        Files.writeString(dir.resolve("templates/cli/lib.tera"), "// lib\n");
        Files.writeString(dir.resolve("README.md"), "# readme\n");
        Files.writeString(dir.resolve("notes.txt"), "not covered by the manifest\n");
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        return dir;
    }

    public static Path pack(Path dir, String id, String version) throws IOException {
        return write(dir, manifest(id, version, ""));
    }
}
