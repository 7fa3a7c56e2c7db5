package io.ggen.cli.marketplace;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.service.MarketplaceService;
import io.ggen.marketplace.service.YankResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "yank", mixinStandardHelpOptions = true,
        description = "Sign and record a yank in the local catalog: the release stays installable when asked for exactly, but resolution no longer picks it. "
                + "A running node announces it within [marketplace] sync_interval_secs; 'ggen marketplace p2p yank' announces it at once.",
        footer = {"", "Examples:", "  ggen marketplace yank io.ggen.rust.cli@1.2.0", "  ggen marketplace yank io.ggen.rust.cli@1.2.0 --reason \"broken template\""})
final class YankCommand extends MarketplaceSubcommand {
    @Parameters(index = "0", paramLabel = "<id>@<version>")
    String spec;

    @Option(names = "--reason", description = "Why (shown by info).")
    String reason;

    @Option(names = "--key", paramLabel = "<name>", description = "Key to sign with (default: your key that owns the package).")
    String keyName;

    @Override
    int execute() {
        MarketplaceHome home = home();
        try (Catalog catalog = home.openCatalog()) {
            YankResult y = new MarketplaceService(home, catalog, Optional.empty()).yank(spec, reason, keyName);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("package", y.id());
            data.put("version", y.version());
            data.put("cid", y.cid());
            data.put("reason", y.reason());
            data.put("publisher", y.publisher());
            emit(data, () -> out().println("yanked " + y.id() + "@" + y.version() + (y.reason().isEmpty() ? "" : " (" + y.reason() + ")")));
        }
        return 0;
    }
}
