package io.ggen.cli.marketplace;

import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.marketplace.manifest.ManifestParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Create a new pack to edit: a commented gpack.toml with every field, an example template and a README.",
        footer = {"", "Examples:", "  ggen marketplace new ./my-pack", "  ggen marketplace new ./rust-cli --id io.example.rust-cli --name \"Rust CLI\"",
                "  ggen marketplace validate ./my-pack"})
final class NewCommand extends MarketplaceSubcommand {
    @Parameters(index = "0", paramLabel = "<dir>", description = "Directory to create (it must not exist, or be empty).")
    Path dir;

    @Option(names = "--id", paramLabel = "<id>", description = "Package id, reverse-DNS (default: io.example.<directory name>).")
    String id;

    @Option(names = "--name", paramLabel = "<name>", description = "Human-readable name (default: from the directory name).")
    String name;

    /** What ManifestParser accepts as an id: lower-case segments of [a-z0-9_-] joined by dots. */
    static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)+");

    @Override
    int execute() throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) throw new UserError(dir + " exists and is not a directory; choose a new directory for the pack", CliErrors.USAGE);
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new UserError(dir + " is not empty; 'new' only creates a pack in a new or empty directory (use 'ggen marketplace validate "
                            + dir + "' to check an existing pack)", CliErrors.USAGE);
                }
            }
        }
        String base = target.getFileName() == null ? "pack" : target.getFileName().toString();
        String packId = id != null ? id.trim() : "io.example." + slug(base);
        if (packId.length() > 128 || !ID.matcher(packId).matches()) {
            throw new UserError("--id " + packId + ": expected a reverse-DNS id of lower-case segments [a-z0-9_-] joined by dots, e.g. io.example.my-pack",
                    CliErrors.USAGE);
        }
        String packName = name != null ? name.trim() : title(base);
        if (packName.isEmpty() || packName.contains("\"") || packName.contains("\\") || packName.chars().anyMatch(Character::isISOControl)) {
            throw new UserError("--name: expected a non-empty name without quotes, backslashes or control characters", CliErrors.USAGE);
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(ManifestParser.FILE_NAME, manifest(packId, packName));
        files.put("README.md", readme(packId, packName));
        files.put("templates/hello/hello.tmpl", TEMPLATE);
        // Written beside the target and moved into place at once: a failure leaves no half-made pack.
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + base + ".new-");
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = staging.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dir", target.toString());
        data.put("package", packId);
        data.put("files", List.copyOf(files.keySet()));
        emit(data, () -> {
            out().println("Created " + packId + " in " + dir + ":");
            for (String f : files.keySet()) out().println("  " + f);
            out().println("Next: edit " + dir.resolve(ManifestParser.FILE_NAME) + ", then");
            out().println("  ggen marketplace validate " + dir);
            out().println("  ggen marketplace p2p publish " + dir);
        });
        return CliErrors.OK;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a hidden staging directory at worst
        }
    }

    static String slug(String s) {
        String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
        return out.isEmpty() ? "pack" : out;
    }

    static String title(String s) {
        StringBuilder sb = new StringBuilder();
        for (String w : s.split("[^A-Za-z0-9]+")) {
            if (w.isEmpty()) continue;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        }
        return sb.isEmpty() ? "My pack" : sb.toString();
    }

    static String manifest(String id, String name) {
        return """
                # gpack.toml: the manifest of a ggen template pack (a gpack).
                # Check it with `ggen marketplace validate`, publish it with `ggen marketplace p2p publish`.
                # Every field is described in the user guide (docs/p2p-marketplace-guide.md, "Write a pack").

                [gpack]
                # Required. The package id: lower-case reverse-DNS segments of a-z, 0-9, _ and - joined by
                # dots, at most 128 characters. The first key to publish an id owns it on every node.
                id = "%s"
                # Required. The name people see in search results.
                name = "%s"
                # Required. Semver 2.0 version of this release. A version is published once and never
                # changes: raise it for every new release (or publish with --version).
                version = "0.1.0"
                # Required. One sentence on what the pack generates; search ranks on it.
                description = "Generates a hello-world Rust module (edit me)"
                # Required. SPDX license expression for the pack's files, e.g. "MIT", "Apache-2.0",
                # "MIT OR Apache-2.0".
                license = "MIT"
                # Required. ggen_compat: the versions of ggen, the generator that renders these templates
                # (not this marketplace), that the pack is written for, as a semver range in Cargo's
                # syntax: ">=0.1.0", "^0.2", ">=0.1, <0.3". It travels in the signed release record, so
                # installers see which ggen a pack expects.
                ggen_compat = ">=0.1.0"

                # Optional marketplace fields.
                # Who wrote the pack.
                authors = ["Your Name <you@example.com>"]
                # Words search matches besides the id, name and description.
                keywords = ["hello", "example"]
                # Broad groups, filtered with `search --category`.
                categories = ["starter"]
                # Labels, filtered with `search --tags`.
                tags = ["example"]
                # Web pages (http or https).
                # homepage = "https://example.com/my-pack"
                # repository = "https://github.com/you/my-pack"
                # The README shipped with the pack (root README* files are always included).
                readme = "README.md"

                [dependencies]
                # Other packs this one needs, as id = version range; installed along with it.
                # "io.ggen.macros.std" = "^0.1"

                [templates]
                # Globs of template files, relative to this directory. Empty: ggen's defaults,
                # templates/**/*.tmpl and templates/**/*.tera.
                patterns = []
                # Extra Tera files the templates include, e.g. ["macros/**/*.tera"].
                includes = []

                # Optional sections; uncomment what the pack has. A pattern you write must match a file.
                # [macros]
                # paths = ["macros"]
                #
                # [rdf]
                # base = "https://example.com/my-pack/"
                # prefixes = { ex = "https://example.com/ns#" }
                # patterns = []          # default: templates/**/graphs/*.{ttl,rdf,jsonld}
                # inline = []            # Turtle snippets
                #
                # [queries]
                # patterns = []          # default: templates/**/queries/*.{rq,sparql}
                # aliases = { all = "templates/hello/queries/all.rq" }
                #
                # [shapes]
                # patterns = []          # default: templates/**/graphs/shapes/*.shacl.ttl, templates/**/shapes/*.ttl
                #
                # [preset]
                # config = "preset/ggen.toml"
                # vars = { greeting = "Hello" }
                """.formatted(id, name);
    }

    static String readme(String id, String name) {
        return """
                # %s

                `%s`: a ggen template pack. Describe here what it generates and which variables its
                templates take.

                ## Use

                    ggen marketplace p2p install %s --target ./my-project

                ## Develop

                    ggen marketplace validate .
                    ggen marketplace p2p publish .
                """.formatted(name, id, id);
    }

    static final String TEMPLATE = """
            ---
            to: "src/{{ name }}.rs"
            vars:
              name: "hello"
            ---
            // Generated by ggen from the hello template.
            pub fn {{ name }}() -> &'static str {
                "Hello from {{ name }}!"
            }
            """;
}
