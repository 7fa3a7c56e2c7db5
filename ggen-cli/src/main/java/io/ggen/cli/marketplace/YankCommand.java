package io.ggen.cli.marketplace;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.Ownership;
import io.ggen.marketplace.keys.KeyStore;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.release.YankRecord;
import io.ggen.marketplace.version.Version;
import io.ggen.marketplace.version.VersionException;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "yank", mixinStandardHelpOptions = true,
        description = "Sign and record a yank: the release stays installable when asked for exactly, but resolution no longer picks it.")
final class YankCommand extends MarketplaceSubcommand {
    @Parameters(index = "0", paramLabel = "<id>@<version>")
    String spec;

    @Option(names = "--reason", description = "Why (shown by info).")
    String reason;

    @Option(names = "--key", paramLabel = "<name>", description = "Key to sign with (default: your key that owns the package).")
    String keyName;

    @Override
    int execute() {
        int at = spec.indexOf('@');
        if (at <= 0) throw new MarketplaceException(Kind.USAGE, "'" + spec + "': expected <id>@<version>, e.g. io.ggen.rust.cli@1.2.3");
        String id = spec.substring(0, at);
        Version version;
        try {
            version = Version.parse(spec.substring(at + 1));
        } catch (VersionException e) {
            throw new MarketplaceException(Kind.USAGE, "'" + spec + "': " + e.getMessage());
        }
        MarketplaceHome home = home();
        try (Catalog catalog = home.openCatalog()) {
            Ownership owner = catalog.ownerOf(id).orElseThrow(() -> new MarketplaceException(Kind.NOT_FOUND, "no package " + id + " in the catalog"));
            KeyStore keys = home.keys();
            String name = keyName != null ? keyName : keys.list().stream().filter(k -> k.fingerprint().equals(owner.fingerprint())).map(KeyStore.KeyInfo::name)
                    .findFirst().orElseThrow(() -> new MarketplaceException(Kind.VERIFICATION, id + " belongs to key " + owner.fingerprint()
                            + ", and none of your keys (ggen marketplace key list) is that key; only the owner can yank"));
            Ed25519PrivateKey key = keys.load(name);
            YankRecord y = new Publisher(home.store(), catalog).yank(id, version, reason, key);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("package", y.id());
            data.put("version", y.version());
            data.put("cid", y.cid().toString());
            data.put("reason", y.reason());
            data.put("publisher", owner.fingerprint());
            emit(data, () -> out().println("yanked " + y.id() + "@" + y.version() + (y.reason().isEmpty() ? "" : " (" + y.reason() + ")")));
        }
        return 0;
    }
}
