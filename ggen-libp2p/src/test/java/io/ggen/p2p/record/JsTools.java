package io.ggen.p2p.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the small node scripts of interop/jspeer/tools, which print one JSON line. */
public final class JsTools {
    static final Path JSPEER = Path.of("..", "interop", "jspeer").toAbsolutePath().normalize();

    private JsTools() {}

    /**
     * Runs {@code tools/<script>} with a bounded time. Fails (never skips) when node or its
     * packages are missing: an interop check that silently does not run proves nothing.
     */
    public static JsonNode run(String script, String... args) throws IOException, InterruptedException {
        if (!Files.isDirectory(JSPEER.resolve("node_modules").resolve("@libp2p").resolve("peer-record"))) {
            throw new AssertionError("js peer packages not installed: run 'bash interop/jspeer/ensure-installed.sh' (./test does it)");
        }
        List<String> cmd = new ArrayList<>(List.of("node", JSPEER.resolve("tools").resolve(script).toString()));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new AssertionError("node is not available (the interop checks need Node >= 20): " + e.getMessage(), e);
        }
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("node " + script + " did not finish within 30 s");
            String stderr = new String(err.join(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("node %s stderr: %s", script, stderr).isZero();
            return new ObjectMapper().readTree(new String(out.join(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
