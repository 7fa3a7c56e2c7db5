package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.service.YankRequest;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "yank", mixinStandardHelpOptions = true,
        description = "Yank a release on the network: sign a yank with the package owner's key, record it, gossip it and put the package head "
                + "that marks it in the DHT. Resolution no longer picks the version anywhere; an exact id@version (as in a ggen.lock) still installs it.",
        footer = {"", "Without a running node the yank is recorded locally and announced when the node next starts.", "", "Examples:",
                "  ggen marketplace p2p yank io.example.rust-cli@1.2.0 --reason \"breaks on Windows\"",
                "  ggen marketplace p2p yank io.example.rust-cli@1.2.0 --format json"})
public final class P2pYankCommand extends P2pSubcommand {
    @Parameters(index = "0", paramLabel = "<id>@<version>", description = "The release to yank (one exact version).")
    String spec;

    @Option(names = "--reason", paramLabel = "<text>", description = "Why, shown with the release (at most " + YankRequest.MAX_REASON + " characters).")
    String reason;

    @Option(names = "--key", paramLabel = "<name>", description = "Key to sign with (default: your key that owns the package).")
    String keyName;

    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        YankRequest request;
        try {
            request = new YankRequest(spec, reason, keyName);
        } catch (InvalidRequestException e) {
            throw CliErrors.of(e);
        }
        Optional<ApiClient> api = ApiClient.find(dataDir());
        JsonNode r = nodeOrLocal(api, "/v1/yank", request, Duration.ofSeconds(120), m -> m.yank(request));
        if (format != OutputFormat.table) {
            print(r, format);
            return CliErrors.OK;
        }
        PrintWriter out = out();
        String coords = r.path("package").asText() + "@" + r.path("version").asText();
        String why = r.path("reason").asText();
        out.println((r.path("already_yanked").asBoolean() ? "Already yanked: " : "Yanked ") + coords + (why.isEmpty() ? "" : " (" + why + ")"));
        out.println("  cid:       " + r.path("cid").asText());
        out.println("  publisher: " + r.path("publisher").asText());
        if (r.path("offline").asBoolean()) {
            out.println("No node is running: the yank is in the local catalog, and will be announced when the node next starts.");
        } else {
            int peers = r.path("announced_to").asInt();
            int heads = r.path("head_stored_on").asInt();
            out.println("Announced to " + peers + (peers == 1 ? " peer" : " peers") + "; head stored on " + heads + (heads == 1 ? " DHT node" : " DHT nodes"));
            if (peers == 0 && heads == 0) out.println("No peer took it yet: the node announces it when peers connect.");
            for (JsonNode p : r.path("problems")) out.println("  note: " + p.asText());
        }
        out.flush();
        return CliErrors.OK;
    }
}
