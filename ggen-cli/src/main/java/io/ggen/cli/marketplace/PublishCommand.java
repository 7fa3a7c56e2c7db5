package io.ggen.cli.marketplace;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.keys.KeyStore;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "publish",
        description = "Validate, pack, sign, store and catalog a pack as a new release.",
        footer = {"", "Examples:", "  ggen marketplace publish ./my-pack", "  ggen marketplace publish ./my-pack --version 1.2.1"})
final class PublishCommand extends MarketplaceSubcommand {
    // Explicit, not mixinStandardHelpOptions: this command's own --version (the release version)
    // would make picocli drop the whole standard mixin, --help included.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", defaultValue = ".", paramLabel = "<dir>", description = "The pack directory (default: current directory).")
    Path dir;

    @Option(names = "--version", paramLabel = "<x.y.z>", description = "Release this version instead of the manifest's.")
    String version;

    @Option(names = "--skip-verify", description = "Skip the manifest lint (globs, URLs, files named); never skips signing or structure checks.")
    boolean skipVerify;

    @Option(names = "--key", defaultValue = KeyStore.DEFAULT_NAME, paramLabel = "<name>", description = "Publisher key to sign with (default: ${DEFAULT-VALUE}).")
    String keyName;

    @Option(names = "--max-size", paramLabel = "<MiB>", defaultValue = "256", description = "Largest total size of the pack's files, in MiB (default: ${DEFAULT-VALUE}).")
    long maxSizeMiB;

    @Override
    int execute() {
        if (maxSizeMiB < 1) throw new MarketplaceException(MarketplaceException.Kind.USAGE, "--max-size must be at least 1 (MiB)");
        MarketplaceHome home = home();
        Ed25519PrivateKey key = home.keys().load(keyName);
        try (Catalog catalog = home.openCatalog()) {
            Publisher.Published p = new Publisher(home.store(), catalog).publish(dir, version, skipVerify, key, ArchiveLimits.DEFAULT.withMaxPackBytes(maxSizeMiB << 20));
            for (var w : p.warnings()) err().println(w);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("package", p.release().id());
            data.put("version", p.release().version());
            data.put("cid", p.release().cid().toString());
            data.put("size", p.release().size());
            data.put("publisher", p.release().fingerprint());
            data.put("already_present", p.alreadyPresent());
            emit(data, () -> {
                out().println((p.alreadyPresent() ? "already published: " : "published ") + p.release().coordinates());
                out().println("cid: " + p.release().cid());
                out().println("size: " + io.ggen.node.render.Output.bytes(p.release().size()));
                out().println("publisher: " + p.release().fingerprint());
            });
        }
        return 0;
    }
}
