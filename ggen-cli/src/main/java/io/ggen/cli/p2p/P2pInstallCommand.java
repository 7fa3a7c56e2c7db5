package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.marketplace.install.Installer;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Install a package and its dependencies from the network: the node finds providers and fetches the archives; "
                + "every archive's CID, signature and owner are verified before it is unpacked; ggen.lock is written.",
        footer = {"", "Examples:", "  ggen marketplace p2p install io.ggen.rust.cli-subcommand", "  ggen marketplace p2p install io.ggen.rust.cli-subcommand@^0.1 --target ./my-project",
                "  ggen marketplace p2p install io.ggen.rust.cli-subcommand --dry-run"})
public final class P2pInstallCommand extends P2pSubcommand {
    /** How long one install may take in total, download included. */
    static final Duration MAX_WAIT = Duration.ofMinutes(30);

    @Parameters(index = "0", paramLabel = "<id>[@range]", description = "Package, optionally with a version range (id@1.2.3 means exactly 1.2.3).")
    String spec;

    @Option(names = "--target", paramLabel = "<dir>", defaultValue = ".", description = "Project directory (default: current directory). Packs go to <dir>/"
            + Installer.PACKS_DIR + "/<id>, the lockfile to <dir>/ggen.lock.")
    Path target;

    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--dry-run", description = "Resolve and show what would be fetched and installed; fetch and write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        InstallSpec parsed;
        try {
            parsed = InstallSpec.parse(spec);
        } catch (MarketplaceException e) {
            throw new UserError(e.getMessage(), CliErrors.USAGE);
        }
        Optional<ApiClient> api = ApiClient.find(dataDir());
        if (dryRun) return showPlan(api);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        if (api.isPresent()) {
            JsonNode fetched = fetchThroughNode(api.get());
            result.set("fetched", fetched.path("fetched"));
            result.put("bytes_fetched", fetched.path("bytes_done").asLong());
            result.set("notes", fetched.path("notes").isArray() ? fetched.path("notes") : JsonNodeFactory.instance.arrayNode());
        } else {
            result.put("offline", true);
        }
        MarketplaceHome home = new MarketplaceHome(dataDir().root());
        ArrayNode installed = result.putArray("installed");
        try (Catalog catalog = home.openCatalog()) {
            Installer installer = new Installer(home.store(), catalog, ArchiveLimits.DEFAULT);
            for (Installer.Installed i : installer.install(parsed, target)) {
                ObjectNode o = installed.addObject();
                o.put("id", i.release().id());
                o.put("version", i.release().version());
                o.put("cid", i.release().cid().toString());
                o.put("publisher", i.release().fingerprint());
                o.put("path", i.directory().toString());
            }
        } catch (MarketplaceException e) {
            String hint = api.isEmpty() && e.kind() == MarketplaceException.Kind.NOT_FOUND
                    ? "; no node is running, so only the local store was used: start one with 'ggen marketplace p2p start' to fetch from the network" : "";
            throw new UserError(e.getMessage() + hint, e.kind() == MarketplaceException.Kind.USAGE ? CliErrors.USAGE : CliErrors.FAILURE);
        }
        result.put("lockfile", target.toAbsolutePath().normalize().resolve("ggen.lock").toString());
        if (format != OutputFormat.table) {
            print(result, format);
            return CliErrors.OK;
        }
        PrintWriter out = out();
        for (JsonNode n : result.path("notes")) out.println("Note: " + n.asText());
        for (JsonNode i : installed) out.println("Installed " + i.path("id").asText() + "@" + i.path("version").asText() + " (" + i.path("cid").asText() + ")");
        out.println("Lockfile: " + result.path("lockfile").asText());
        out.flush();
        return CliErrors.OK;
    }

    /** The body of {@code /v1/resolve} and {@code /v1/fetch}. */
    record FetchSpec(String spec) {}

    /**
     * {@code --dry-run}: the releases the install would take (resolved by the node, which asks
     * the network first, or offline from the local catalog), which of them would be downloaded,
     * and where they would go. Writes nothing.
     */
    private int showPlan(Optional<ApiClient> api) {
        JsonNode plan = nodeOrLocal(api, "/v1/resolve", new FetchSpec(spec), Duration.ofSeconds(60), m -> m.plan(spec));
        Path dir = target.toAbsolutePath().normalize();
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("dry_run", true);
        result.put("offline", api.isEmpty());
        result.set("releases", plan.path("releases"));
        result.put("target", dir.toString());
        result.put("lockfile", dir.resolve("ggen.lock").toString());
        if (format != OutputFormat.table) {
            print(result, format);
            return CliErrors.OK;
        }
        PrintWriter out = out();
        long toFetch = 0;
        for (JsonNode r : plan.path("releases")) {
            boolean have = r.path("in_store").asBoolean();
            if (!have) toFetch += r.path("size").asLong();
            out.println("Would install " + r.path("id").asText() + "@" + r.path("version").asText() + " (" + r.path("cid").asText() + ", "
                    + Output.bytes(r.path("size").asLong()) + (have ? ", in the local store" : ", to fetch") + ")");
        }
        out.println("Would download " + Output.bytes(toFetch) + (api.isEmpty() ? " (no node is running: a real install would need one to fetch)" : ""));
        out.println("Would write " + dir.resolve(Installer.PACKS_DIR) + "/<id> and " + dir.resolve("ggen.lock"));
        out.println("Nothing was fetched or written (--dry-run).");
        out.flush();
        return CliErrors.OK;
    }

    /**
     * Asks the node to fetch the release and its dependencies into the store, showing progress
     * on a terminal. Ctrl-C (or any signal that stops the JVM) while it runs cancels the node's
     * download, ends the progress line and says so.
     */
    private JsonNode fetchThroughNode(ApiClient api) throws InterruptedException {
        boolean terminal = System.console() != null && format == OutputFormat.table;
        ProgressBar[] bar = {null};
        boolean[] finished = {false};
        java.util.concurrent.atomic.AtomicReference<String> jobId = new java.util.concurrent.atomic.AtomicReference<>();
        Thread cancel = new Thread(() -> {
            synchronized (finished) {
                if (finished[0]) return;
            }
            if (bar[0] != null) bar[0].close();
            System.err.println();
            String id = jobId.get();
            if (id == null) {
                System.err.println("error: install cancelled before the download started; nothing was installed");
            } else {
                try {
                    api.call("DELETE", "/v1/fetch/" + id, null, Duration.ofSeconds(3));
                    System.err.println("error: install cancelled; the node stopped the download and nothing was installed");
                } catch (RuntimeException e) {
                    System.err.println("error: install cancelled; nothing was installed (the node's download may go on: " + e.getMessage() + ")");
                }
            }
            System.err.flush();
        }, "ggen-install-cancel");
        // Registered before the job exists, so a stop at any moment after this is seen.
        Runtime.getRuntime().addShutdownHook(cancel);
        ObjectNode req = api.json().createObjectNode();
        req.put("spec", spec);
        String id;
        try {
            id = api.postOk("/v1/fetch", req, Duration.ofSeconds(60)).path("job").asText();
        } catch (RuntimeException e) {
            synchronized (finished) {
                finished[0] = true;
            }
            Runtime.getRuntime().removeShutdownHook(cancel);
            throw e;
        }
        jobId.set(id);
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        try {
            while (true) {
                JsonNode s = api.getOk("/v1/fetch/" + id, Duration.ofSeconds(30));
                long total = s.path("bytes_total").asLong();
                if (terminal && bar[0] == null && total > 0) {
                    bar[0] = new ProgressBarBuilder().setTaskName("Fetching").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                            .setUnit(" KiB", 1024).showSpeed().build();
                }
                if (bar[0] != null) bar[0].stepTo(s.path("bytes_done").asLong());
                if (s.path("done").asBoolean()) {
                    if (!s.path("error").asText().isEmpty()) throw new UserError(s.path("error").asText());
                    return s;
                }
                if (System.nanoTime() > deadline) throw new UserError("the download did not finish within " + MAX_WAIT.toMinutes() + " minutes");
                // the node reports progress on request; a short poll keeps the bar moving
                Thread.sleep(100);
            }
        } finally {
            synchronized (finished) {
                finished[0] = true;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cancel);
            } catch (IllegalStateException stopping) {
                // the JVM is stopping and the hook runs: it cancels the download
            }
            if (bar[0] != null) bar[0].close();
        }
    }
}
