package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.service.MarketplaceService;
import io.ggen.node.api.Json;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared plumbing of the p2p commands: the data directory and JSON/YAML output. */
public abstract class P2pSubcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    DataDir dataDir() {
        return DataDir.fromEnvironment();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * A use case's answer as JSON, run here on local data (no node runs): the JSON the node's
     * API route would have answered.
     */
    static JsonNode local(DataDir dir, Function<MarketplaceService, Object> useCase) {
        MarketplaceHome home = new MarketplaceHome(dir.root());
        try (Catalog catalog = home.openCatalog()) {
            return Json.mapper().valueToTree(useCase.apply(new MarketplaceService(home, catalog, Optional.empty())));
        } catch (MarketplaceException e) {
            throw CliErrors.of(e);
        }
    }

    /**
     * A use case's answer: from the running node (its API route, given the request record), or,
     * with no node, the same use case run here on local data. Both give the same JSON.
     */
    JsonNode nodeOrLocal(Optional<ApiClient> api, String route, Object request, Duration timeout, Function<MarketplaceService, Object> local) {
        if (api.isPresent()) return api.get().postOk(route, api.get().json().valueToTree(request), timeout);
        return local(dataDir(), local);
    }

    /** Prints a JSON tree as JSON or YAML. */
    void print(JsonNode tree, OutputFormat format) {
        Output.print(tree, format, out());
    }

    static void print(JsonNode tree, OutputFormat format, PrintWriter out) {
        Output.print(tree, format, out);
    }

    static String duration(long secs) {
        return Output.duration(secs);
    }
}
