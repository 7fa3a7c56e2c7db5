package io.ggen.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.marketplace.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a running node publishes about itself in {@code node.json}: how the CLI finds its API.
 * Written atomically once the node is ready (so a reader never sees half a file) and removed
 * when it stops; a file left by a killed node is recognised by its dead pid.
 */
public record NodeInfo(long pid, int apiPort, String peerId, List<String> addrs, long startedAtMillis, String version) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public NodeInfo {
        addrs = List.copyOf(addrs);
    }

    public void write(DataDir dir) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("pid", pid);
        o.put("api_port", apiPort);
        o.put("peer_id", peerId);
        o.putPOJO("addrs", addrs);
        o.put("started_at", startedAtMillis);
        o.put("version", version);
        AtomicFiles.write(dir.nodeInfoFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o), AtomicFiles.OWNER_ONLY, true);
        AtomicFiles.write(dir.pidFile(), (pid + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY, true);
    }

    /** The file's content, or empty when there is none or it is not a node.json (never throws). */
    public static Optional<NodeInfo> read(DataDir dir) {
        try {
            if (Files.size(dir.nodeInfoFile()) > 64 * 1024) return Optional.empty();
            JsonNode o = JSON.readTree(Files.readAllBytes(dir.nodeInfoFile()));
            if (o == null || !o.path("pid").canConvertToLong() || !o.path("api_port").canConvertToInt()) return Optional.empty();
            List<String> addrs = new ArrayList<>();
            o.path("addrs").forEach(a -> addrs.add(a.asText()));
            int port = o.path("api_port").asInt();
            if (port <= 0 || port > 65535) return Optional.empty();
            return Optional.of(new NodeInfo(o.path("pid").asLong(), port, o.path("peer_id").asText(""), addrs,
                    o.path("started_at").asLong(), o.path("version").asText("")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Removes node.json and node.pid if they are this process's. */
    public static void remove(DataDir dir, long pid) {
        Optional<NodeInfo> cur = read(dir);
        if (cur.isPresent() && cur.get().pid() != pid) return;
        try {
            Files.deleteIfExists(dir.nodeInfoFile());
            Files.deleteIfExists(dir.pidFile());
        } catch (IOException ignored) {
            // a stale file is recognised by its dead pid
        }
    }

    public boolean processAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
