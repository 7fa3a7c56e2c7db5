package io.ggen.cli.marketplace;

import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.shortpath.ShortArgs;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.Ownership;
import io.ggen.marketplace.catalog.ReleaseRow;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.CatalogText;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a package: versions, publisher and owner, dependencies, yanked releases.",
        footer = {"", "Examples:", "  ggen marketplace info io.ggen.rust.cli", "  ggen marketplace info io.ggen.rust.cli@^1.2 --format json"})
public final class InfoCommand extends MarketplaceSubcommand {
    @Parameters(index = "0", paramLabel = "<id>[@range]")
    String spec;

    @Override
    int execute() {
        return show(home(), DataDir.fromEnvironment(), spec, OutputFormat.valueOf(format.name()), out());
    }

    /** The launcher's short path: {@code ggen marketplace info <id>[@range] [--format F]} without picocli's command tree. */
    public static Optional<Integer> fastPath(String[] args) throws Exception {
        Optional<ShortArgs> parsed = ShortArgs.parse(args, 2, Set.of(), Set.of("--format"), Set.of(), 1);
        if (parsed.isEmpty() || parsed.get().positionals().size() != 1 || parsed.get().format().isEmpty()) return Optional.empty();
        PrintWriter out = ShortArgs.stdout();
        return Optional.of(guard(() -> show(MarketplaceHome.fromEnvironment(), DataDir.fromEnvironment(), parsed.get().positionals().get(0),
                parsed.get().format().get(), out)));
    }

    /** Asks the running node (which has the catalog open, and renders the answer), or, with none, reads the catalog here. */
    public static int show(MarketplaceHome home, DataDir dir, String spec, OutputFormat format, PrintWriter out) {
        InstallSpec s = InstallSpec.parse(spec);
        Optional<ApiClient> api = ApiClient.find(dir);
        if (api.isPresent()) {
            out.print(api.get().textOk("GET", "/v1/catalog/info?spec=" + URLEncoder.encode(spec, StandardCharsets.UTF_8) + "&render=" + format.name(),
                    null, Duration.ofSeconds(30)));
        } else {
            List<ReleaseRow> rows;
            Optional<Ownership> owner;
            try (Catalog catalog = home.openCatalog()) {
                rows = catalog.releases(s.id());
                owner = catalog.ownerOf(s.id());
            }
            out.print(CatalogText.info(s, rows, owner, format));
        }
        out.flush();
        return CliErrors.OK;
    }
}
