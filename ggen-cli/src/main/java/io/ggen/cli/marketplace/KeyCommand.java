package io.ggen.cli.marketplace;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.keys.KeyStore;
import io.ggen.node.render.TextTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "key", mixinStandardHelpOptions = true, description = "Manage publisher keys (Ed25519).",
        subcommands = {KeyCommand.Generate.class, KeyCommand.ListKeys.class, KeyCommand.Export.class, KeyCommand.Import.class},
        footer = {"", "Examples:", "  ggen marketplace key generate", "  ggen marketplace key list", "  ggen marketplace key export > my-key.pub"})
final class KeyCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Map<String, Object> describe(KeyStore.KeyInfo k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", k.name());
        m.put("fingerprint", k.fingerprint());
        m.put("type", "ed25519");
        m.put("public_key", KeyStore.formatPublic(k.publicKey()));
        return m;
    }

    @Command(name = "generate", mixinStandardHelpOptions = true, description = "Create a new publisher key (stored with mode 0600).",
            footer = {"", "Examples:", "  ggen marketplace key generate", "  ggen marketplace key generate --name work"})
    static final class Generate extends MarketplaceSubcommand {
        @Option(names = "--name", defaultValue = KeyStore.DEFAULT_NAME, description = "Key name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        int execute() {
            KeyStore.KeyInfo k = home().keys().generate(name);
            emit(describe(k), () -> {
                out().println("generated key '" + k.name() + "'");
                out().println("fingerprint: " + k.fingerprint());
                out().println("stored in " + home().root().resolve("keys").resolve(k.name() + ".key") + " (mode 0600); back it up with 'ggen marketplace key export --secret'");
            });
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List publisher keys and their fingerprints.",
            footer = {"", "Examples:", "  ggen marketplace key list", "  ggen marketplace key list --format json"})
    static final class ListKeys extends MarketplaceSubcommand {
        @Override
        int execute() {
            List<KeyStore.KeyInfo> keys = home().keys().list();
            List<Map<String, Object>> data = new ArrayList<>();
            keys.forEach(k -> data.add(describe(k)));
            emit(Map.of("keys", data, "total", keys.size()), () -> {
                if (keys.isEmpty()) {
                    out().println("no publisher keys; create one with 'ggen marketplace key generate'");
                    return;
                }
                TextTable t = new TextTable("NAME", "FINGERPRINT", "TYPE");
                keys.forEach(k -> t.row(k.name(), k.fingerprint(), "ed25519"));
                t.print(out());
            });
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Print a key's public half (or, with --secret, the whole key for backup).",
            footer = {"", "Examples:", "  ggen marketplace key export > my-key.pub", "  ggen marketplace key export --secret -o backup.key"})
    static final class Export extends MarketplaceSubcommand {
        @Option(names = "--name", defaultValue = KeyStore.DEFAULT_NAME, description = "Key name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--secret", description = "Export the secret key (keep it safe).")
        boolean secret;

        @Option(names = {"-o", "--output"}, paramLabel = "<file>", description = "Write to a file (created with mode 0600 for secrets) instead of stdout.")
        Path output;

        @Override
        int execute() throws IOException {
            KeyStore ks = home().keys();
            String text = secret ? ks.exportSecret(name) : ks.exportPublic(name);
            if (output != null) {
                if (Files.exists(output)) throw new MarketplaceException(MarketplaceException.Kind.USAGE, output + " already exists; choose another --output");
                if (secret) Files.createFile(output, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(output, text + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                err().println("wrote " + (secret ? "secret" : "public") + " key '" + name + "' to " + output);
                return 0;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", name);
            data.put(secret ? "secret_key" : "public_key", text);
            emit(data, () -> out().println(text));
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Import a key exported with 'key export --secret'.",
            footer = {"", "Examples:", "  ggen marketplace key import backup.key", "  ggen marketplace key import backup.key --name work"})
    static final class Import extends MarketplaceSubcommand {
        @Parameters(index = "0", paramLabel = "<file>", description = "The exported key file ('-' for stdin).")
        String file;

        @Option(names = "--name", defaultValue = KeyStore.DEFAULT_NAME, description = "Name to store it under (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        int execute() throws IOException {
            String text;
            if (file.equals("-")) text = new String(System.in.readNBytes(8192), StandardCharsets.US_ASCII);
            else {
                Path p = Path.of(file);
                if (!Files.isRegularFile(p)) throw new MarketplaceException(MarketplaceException.Kind.USAGE, "no such file: " + file);
                if (Files.size(p) > 8192) throw new MarketplaceException(MarketplaceException.Kind.INVALID, file + " is too large to be a key");
                text = Files.readString(p, StandardCharsets.US_ASCII);
            }
            KeyStore.KeyInfo k = home().keys().importKey(name, text);
            emit(describe(k), () -> out().println("imported key '" + k.name() + "', fingerprint " + k.fingerprint()));
            return 0;
        }
    }
}
