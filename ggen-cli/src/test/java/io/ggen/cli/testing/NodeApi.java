package io.ggen.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A node's control API, called from the lab's JVM: the node runs in a network namespace, so its
 * API (127.0.0.1 of that namespace) is reached through {@link Netns}. One request per connection,
 * the way {@code ApiClient} talks (without its challenge: the lab made this node itself). Cheaper
 * than a {@code ggen} command (a JVM) per call, which is what lets a lab poll a dozen nodes.
 */
public final class NodeApi {
    /** The node answered with an error status; {@code body} is its JSON answer. */
    public static final class ApiStatusException extends IOException {
        public final int status;

        ApiStatusException(int status, String body) {
            super("HTTP " + status + ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
            this.status = status;
        }
    }

    private static final int MAX_ANSWER = 8 << 20;
    private final Netns netns;
    private final Path home;

    public NodeApi(Netns netns, Path home) {
        this.netns = netns;
        this.home = home;
    }

    /** The node.json the running node wrote: its pid and API port. */
    public JsonNode nodeInfo() throws IOException {
        return Ggen.JSON.readTree(Files.readString(home.resolve("node.json")));
    }

    public JsonNode get(String path, Duration timeout) throws IOException {
        return call("GET", path, null, timeout);
    }

    public JsonNode post(String path, Object body, Duration timeout) throws IOException {
        return call("POST", path, Ggen.JSON.writeValueAsBytes(body), timeout);
    }

    public JsonNode call(String method, String path, byte[] body, Duration timeout) throws IOException {
        int port = nodeInfo().path("api_port").asInt();
        String token = Files.readString(home.resolve("api.token")).strip();
        byte[] payload = body == null ? new byte[0] : body;
        try (Socket s = netns.connectLoopback(port, 5_000)) {
            s.setSoTimeout((int) Math.max(1_000, timeout.toMillis()));
            OutputStream out = s.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
            // One write, as ApiClient does: a body that trails its head makes the node's virtual
            // thread park in the JDK's socket poller, which a soak would see as classes loaded late.
            ByteArrayOutputStream request = new ByteArrayOutputStream(head.length() + payload.length);
            request.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(payload);
            request.writeTo(out);
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String status = line(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + status);
            int code = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            byte[] data;
            if (chunked) data = chunks(in);
            else if (length >= 0 && length <= MAX_ANSWER) data = in.readNBytes((int) length);
            else data = in.readNBytes(MAX_ANSWER);
            String text = new String(data, StandardCharsets.UTF_8);
            if (code / 100 != 2) throw new ApiStatusException(code, text);
            return text.isEmpty() ? Ggen.JSON.nullNode() : Ggen.JSON.readTree(text);
        }
    }

    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                line(in);
                return out.toByteArray();
            }
            if (out.size() + size > MAX_ANSWER) throw new IOException("answer too large");
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("connection closed mid-answer");
            if (b != '\r') sb.append((char) b);
            if (sb.length() > 8192) throw new IOException("header line too long");
        }
        return sb.toString();
    }
}
