package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.CliErrors;
import io.ggen.cli.CliErrors.UserError;
import io.ggen.cli.api.ApiClient;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.keys.KeyStore;
import io.ggen.marketplace.publish.Publisher;
import java.io.PrintWriter;
import java.nio.file.Files;
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
    Format format;

    @Override
    public Integer call() {
        Path dir = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) throw new UserError(path + ": not a directory; give the pack directory that holds gpack.toml", CliErrors.USAGE);
        if (!Files.isRegularFile(dir.resolve("gpack.toml"))) throw new UserError(dir + " has no gpack.toml; is it a pack directory?", CliErrors.USAGE);
        Optional<ApiClient> api = ApiClient.find(dataDir());
        JsonNode r;
        if (api.isPresent()) {
            ObjectNode req = api.get().json().createObjectNode();
            req.put("path", dir.toString());
            if (version != null) req.put("version", version);
            req.put("skip_verify", skipVerify);
            req.put("key", keyName);
            r = api.get().postOk("/v1/publish", req, Duration.ofSeconds(180));
        } else {
            r = publishOffline(dir);
        }
        if (format != Format.table) {
            print(r, format);
            return CliErrors.OK;
        }
        PrintWriter out = out();
        for (JsonNode w : r.path("warnings")) out.println("warning: " + w.asText());
        String coords = r.path("package").asText() + "@" + r.path("version").asText();
        out.println((r.path("already_present").asBoolean() ? "Already published: " : "Published ") + coords);
        out.println("  cid:       " + r.path("cid").asText());
        out.println("  size:      " + r.path("size").asLong() + " bytes");
        out.println("  publisher: " + r.path("publisher").asText());
        if (r.path("offline").asBoolean()) {
            out.println("No node is running: the release is in the local store and catalog, and will be announced when the node next starts.");
        } else {
            out.println("Announced to " + r.path("announced_to").asInt() + " peers; head stored on " + r.path("head_stored_on").asInt()
                    + " DHT nodes; provider record on " + r.path("provider_stored_on").asInt() + " DHT nodes");
            for (JsonNode p : r.path("problems")) out.println("  note: " + p.asText());
        }
        out.flush();
        return CliErrors.OK;
    }

    private JsonNode publishOffline(Path dir) {
        MarketplaceHome home = new MarketplaceHome(dataDir().root());
        try (Catalog catalog = home.openCatalog()) {
            Publisher.Published p = new Publisher(home.store(), catalog).publish(dir, version, skipVerify, home.keys().load(keyName), ArchiveLimits.DEFAULT);
            ObjectNode o = describe(p);
            o.put("offline", true);
            return o;
        } catch (MarketplaceException e) {
            throw new UserError(e.getMessage(), e.kind() == MarketplaceException.Kind.USAGE ? CliErrors.USAGE : CliErrors.FAILURE);
        }
    }

    /** The fields both the node's answer and the offline path report. */
    public static ObjectNode describe(Publisher.Published p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("package", p.release().id());
        o.put("version", p.release().version());
        o.put("cid", p.release().cid().toString());
        o.put("size", p.release().size());
        o.put("publisher", p.release().fingerprint());
        o.put("already_present", p.alreadyPresent());
        var warnings = o.putArray("warnings");
        p.warnings().forEach(w -> warnings.add(w.toString()));
        return o;
    }
}
