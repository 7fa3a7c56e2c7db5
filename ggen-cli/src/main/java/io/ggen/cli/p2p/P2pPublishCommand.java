package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.keys.KeyStore;
import io.ggen.marketplace.service.PublishRequest;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "publish",
        description = "Publish a pack to the network: store and catalog the signed release, put its head in the DHT, provide its archive and announce it.",
        footer = {"", "Without a running node the release is published locally and announced when the node next starts.", "", "Examples:",
                "  ggen marketplace p2p publish ./my-pack", "  ggen marketplace p2p publish ./my-pack --version 1.2.0 --format json"})
public final class P2pPublishCommand extends P2pSubcommand {
    // Explicit, not mixinStandardHelpOptions: this command's own --version (the release version)
    // would make picocli drop the whole standard mixin, --help included.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", defaultValue = ".", paramLabel = "<path>", description = "The pack directory, with gpack.toml (default: current directory).")
    Path path;

    @Option(names = "--version", paramLabel = "<x.y.z>", description = "Release this version instead of the manifest's.")
    String version;

    @Option(names = "--skip-verify", description = "Skip the manifest lint (globs, URLs, files named); never skips signing or structure checks.")
    boolean skipVerify;

    @Option(names = "--key", defaultValue = KeyStore.DEFAULT_NAME, paramLabel = "<name>", description = "Publisher key to sign with (default: ${DEFAULT-VALUE}).")
    String keyName;

    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        Path dir = path.toAbsolutePath().normalize();
        PublishRequest request;
        try {
            request = new PublishRequest(dir, version, skipVerify, keyName);
        } catch (InvalidRequestException e) {
            throw CliErrors.of(e);
        }
        Optional<ApiClient> api = ApiClient.find(dataDir());
        JsonNode r = nodeOrLocal(api, "/v1/publish", request, Duration.ofSeconds(180), m -> m.publish(request));
        if (format != OutputFormat.table) {
            print(r, format);
            return CliErrors.OK;
        }
        PrintWriter out = out();
        for (JsonNode w : r.path("warnings")) out.println("warning: " + w.asText());
        String coords = r.path("package").asText() + "@" + r.path("version").asText();
        out.println((r.path("already_present").asBoolean() ? "Already published: " : "Published ") + coords);
        out.println("  cid:       " + r.path("cid").asText());
        out.println("  size:      " + Output.bytes(r.path("size").asLong()));
        out.println("  publisher: " + r.path("publisher").asText());
        if (r.path("offline").asBoolean()) {
            out.println("No node is running: the release is in the local store and catalog, and will be announced when the node next starts.");
        } else {
            out.println("Announced to " + Output.count(r.path("announced_to").asInt(), "peer") + "; head stored on " + r.path("head_stored_on").asInt()
                    + " DHT nodes; provider record on " + r.path("provider_stored_on").asInt() + " DHT nodes");
            for (JsonNode p : r.path("problems")) out.println("  note: " + p.asText());
        }
        out.flush();
        return CliErrors.OK;
    }
}
