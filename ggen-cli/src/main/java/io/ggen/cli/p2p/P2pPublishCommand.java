package io.ggen.cli.p2p;

import io.ggen.cli.api.ApiClient;
import io.ggen.cli.api.JsonBody;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.shortpath.ShortArgs;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.keys.KeyStore;
import io.ggen.marketplace.service.PublishRequest;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.MarketplaceText;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
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
        return show(dataDir(), path, version, skipVerify, keyName, format, out());
    }

    /** The launcher's short path: plain options only, without picocli's command tree (see {@link ShortArgs}). */
    public static Optional<Integer> fastPath(String[] args) {
        Optional<ShortArgs> parsed = ShortArgs.parse(args, 3, Set.of("--skip-verify"), Set.of("--version", "--key", "--format"), Set.of(), 1);
        if (parsed.isEmpty() || parsed.get().format().isEmpty()) return Optional.empty();
        ShortArgs a = parsed.get();
        Path path = Path.of(a.positionals().isEmpty() ? "." : a.positionals().get(0));
        String key = a.value("--key") == null ? KeyStore.DEFAULT_NAME : a.value("--key");
        return Optional.of(show(DataDir.fromEnvironment(), path, a.value("--version"), a.flag("--skip-verify"), key, a.format().get(), ShortArgs.stdout()));
    }

    /**
     * Sends the pack directory's path to the running node, which packs, signs, stores, catalogs
     * and announces it and renders the answer (MarketplaceText); with none, publishes here.
     */
    public static int show(DataDir dataDir, Path path, String version, boolean skipVerify, String keyName, OutputFormat format, PrintWriter out) {
        Path dir = path.toAbsolutePath().normalize();
        PublishRequest request;
        try {
            request = new PublishRequest(dir, version, skipVerify, keyName);
        } catch (InvalidRequestException e) {
            throw CliErrors.of(e);
        }
        Optional<ApiClient> api = ApiClient.find(dataDir);
        if (api.isPresent()) {
            byte[] body = JsonBody.object().put("path", dir.toString()).put("version", version).put("skip_verify", skipVerify).put("key", request.key()).bytes();
            out.print(api.get().textOk("POST", "/v1/publish?render=" + format.name(), body, Duration.ofSeconds(180)));
        } else {
            out.print(MarketplaceText.publish(local(dataDir, m -> m.publish(request)), format));
        }
        out.flush();
        return CliErrors.OK;
    }
}
