package io.ggen.node.home;

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
    /** Only writing needs a full ObjectMapper; reading (every CLI command) streams with jackson-core. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private static final com.fasterxml.jackson.core.JsonFactory STREAMING = new com.fasterxml.jackson.core.JsonFactory();

    public NodeInfo {
        addrs = List.copyOf(addrs);
    }

    public void write(DataDir dir) throws IOException {
        ObjectNode o = Mapper.JSON.createObjectNode();
        o.put("pid", pid);
        o.put("api_port", apiPort);
        o.put("peer_id", peerId);
        o.putPOJO("addrs", addrs);
        o.put("started_at", startedAtMillis);
        o.put("version", version);
        AtomicFiles.write(dir.nodeInfoFile(), Mapper.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o), AtomicFiles.OWNER_ONLY, true);
        AtomicFiles.write(dir.pidFile(), (pid + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY, true);
    }

    /** The file's content, or empty when there is none or it is not a node.json (never throws). */
    public static Optional<NodeInfo> read(DataDir dir) {
        try {
            if (Files.size(dir.nodeInfoFile()) > 64 * 1024) return Optional.empty();
            // A flat object read with the streaming parser: the CLI's short commands start faster
            // without loading jackson-databind.
            long pid = -1;
            int port = -1;
            long startedAt = 0;
            String peerId = "";
            String version = "";
            List<String> addrs = new ArrayList<>();
            try (com.fasterxml.jackson.core.JsonParser p = STREAMING.createParser(Files.readAllBytes(dir.nodeInfoFile()))) {
                if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return Optional.empty();
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                    switch (field) {
                        case "pid" -> pid = t == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                        case "api_port" -> port = t == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                        case "started_at" -> startedAt = t == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                        case "peer_id" -> peerId = t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : "";
                        case "version" -> version = t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : "";
                        case "addrs" -> {
                            if (t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING && addrs.size() < 64) addrs.add(p.getText());
                                if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) p.skipChildren();
                            } else {
                                p.skipChildren();
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            }
            if (pid <= 0 || port <= 0 || port > 65535) return Optional.empty();
            return Optional.of(new NodeInfo(pid, port, peerId, addrs, startedAt, version));
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
