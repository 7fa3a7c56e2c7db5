package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Open the running node's web UI: packages, peers, the network and the node, live.",
                "Prints a login link (it works once, for two minutes) and opens it in a browser when one is available."},
        footer = {"", "Examples:", "  ggen marketplace p2p ui", "  ggen marketplace p2p ui --print-url"})
public final class UiCommand extends P2pSubcommand {
    @Option(names = "--print-url", description = "Only print the login link; do not start a browser.")
    boolean printUrl;

    @Override
    public Integer call() throws Exception {
        ApiClient api = ApiClient.require(dataDir());
        ApiClient.Reply r = api.post("/v1/ui/login", api.json().createObjectNode(), Duration.ofSeconds(10));
        if (r.status() == 404) throw new UserError("the running node has no web UI (it is older than this command); restart it");
        if (!r.ok()) throw new UserError("the node refused a login link: " + r.error());
        JsonNode body = r.body();
        String url = body.path("url").asText();
        if (printUrl) {
            out().println(url);
            out().flush();
            return CliErrors.OK;
        }
        Optional<Path> opener = browserOpener(System.getenv());
        if (opener.isPresent()) {
            new ProcessBuilder(opener.get().toString(), url).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            out().println("Opened the web UI in your browser. If it did not open, this link logs in (once, within "
                    + body.path("expires_in_secs").asLong() / 60 + " minutes):");
        } else {
            out().println("Open this link in a browser on this machine to log in to the node's web UI (it works once, within "
                    + body.path("expires_in_secs").asLong() / 60 + " minutes):");
        }
        out().println("  " + url);
        out().flush();
        return CliErrors.OK;
    }

    /** xdg-open on the PATH, when a graphical session (X11 or Wayland) is there to show a browser. */
    static Optional<Path> browserOpener(Map<String, String> env) {
        boolean display = notBlank(env.get("DISPLAY")) || notBlank(env.get("WAYLAND_DISPLAY"));
        String path = env.get("PATH");
        if (!display || path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "xdg-open");
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
