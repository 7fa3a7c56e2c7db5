package io.ggen.cli.marketplace;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.keys.Fingerprint;
import io.ggen.marketplace.keys.KeyStore;
import io.ggen.node.render.TextTable;
import io.ggen.p2p.crypto.Ed25519PublicKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "trust", mixinStandardHelpOptions = true,
        description = {"Pin a publisher key as the owner of packages, overriding trust on first use.",
                "With no --package, pins it for every package it has released. --list shows known publishers."},
        footer = {"", "Examples:", "  ggen marketplace trust --list", "  ggen marketplace trust --import their-key.pub", "  ggen marketplace trust <fingerprint> --package io.ggen.rust.cli"})
final class TrustCommand extends MarketplaceSubcommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<fingerprint>")
    String fingerprint;

    @Option(names = "--package", paramLabel = "<id>", description = "Package id to pin the key for (repeatable).")
    List<String> packages = new ArrayList<>();

    @Option(names = "--import", paramLabel = "<file>", description = "Learn a publisher's public key from a file made by 'key export'.")
    Path importFile;

    @Option(names = "--list", description = "List known publishers, their trust and what they own.")
    boolean list;

    @Override
    int execute() throws IOException {
        try (Catalog catalog = home().openCatalog()) {
            if (list) return listPublishers(catalog);
            String fp = fingerprint == null ? null : Fingerprint.parse(fingerprint);
            if (importFile != null) {
                if (!Files.isRegularFile(importFile) || Files.size(importFile) > 8192) {
                    throw new MarketplaceException(MarketplaceException.Kind.USAGE, importFile + " is not an exported public key file");
                }
                Ed25519PublicKey key = KeyStore.parsePublic(Files.readString(importFile));
                String keyFp = Fingerprint.of(key);
                if (fp != null && !fp.equals(keyFp)) {
                    throw new MarketplaceException(MarketplaceException.Kind.VERIFICATION, "the key in " + importFile + " has fingerprint " + keyFp + ", not " + fp);
                }
                catalog.addPublisher(key);
                fp = keyFp;
            }
            if (fp == null) throw new MarketplaceException(MarketplaceException.Kind.USAGE, "give a fingerprint, --import <file>, or --list");
            List<String> ids = catalog.trust(fp, packages);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("fingerprint", fp);
            data.put("pinned", ids);
            String f = fp;
            emit(data, () -> out().println("trusted " + f + (ids.isEmpty() ? " (owns no packages yet)" : "; pinned as owner of " + String.join(", ", ids))));
        }
        return 0;
    }

    private int listPublishers(Catalog catalog) {
        List<Catalog.Publisher> pubs = catalog.publishers();
        List<Map<String, Object>> data = new ArrayList<>();
        for (Catalog.Publisher p : pubs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fingerprint", p.fingerprint());
            m.put("trusted", p.trusted());
            m.put("first_seen", time(p.firstSeenMillis()));
            m.put("owns", p.owns());
            data.add(m);
        }
        emit(Map.of("publishers", data, "total", data.size()), () -> {
            TextTable t = new TextTable("FINGERPRINT", "TRUSTED", "OWNS");
            for (Catalog.Publisher p : pubs) t.row(p.fingerprint(), p.trusted() ? "pinned" : "first use", shorten(String.join(" ", p.owns()), 60));
            t.print(out());
        });
        return 0;
    }
}
