package io.ggen.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.node.home.ApiToken;
import io.ggen.node.home.DataDir;
import io.ggen.node.home.NodeInfo;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Talks to the running node's control API. A deliberately small HTTP/1.1 client over a plain
 * socket (one request per connection, Content-Length bodies as our server sends): commands such
 * as {@code status} are dominated by JVM start-up, and the JDK's HttpClient costs more to load
 * than the whole request.
 */
public final class ApiClient {
    private static final int MAX_RESPONSE = 64 << 20;

    /** An answer from the API. */
    public record Reply(int status, JsonNode body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        public String error() {
            return body.path("error").asText("HTTP " + status);
        }
    }

    private ObjectMapper json;
    private final NodeInfo node;
    private final String token;

    private ApiClient(NodeInfo node, String token) {
        this.node = node;
        this.token = token;
    }

    /** The node running on this data directory, if any (its process is alive and it wrote node.json). */
    public static Optional<ApiClient> find(DataDir dir) {
        Optional<NodeInfo> info = NodeInfo.read(dir).filter(NodeInfo::processAlive);
        if (info.isEmpty()) return Optional.empty();
        Optional<String> token = ApiToken.read(dir);
        if (token.isEmpty()) return Optional.empty();
        return Optional.of(new ApiClient(info.get(), token.get()));
    }

    /** The running node, or a UserError telling how to start one. */
    public static ApiClient require(DataDir dir) {
        return find(dir).orElseThrow(() -> new UserError("no node is running on " + dir.root()
                + "; start one with '" + dir.command("marketplace p2p start") + "' (or 'start --daemon' to run it in the background)"));
    }

    public NodeInfo node() {
        return node;
    }

    /** Created on first use: the short path of {@code status} never needs jackson-databind. */
    public synchronized ObjectMapper json() {
        if (json == null) json = io.ggen.node.api.Json.mapper();
        return json;
    }

    /** A GET whose answer is text (rendered by the node), or a UserError with the API's status. */
    public String getText(String path, Duration timeout) {
        try {
            Raw r = exchangeRaw("GET", path, new byte[0], false, token, timeout);
            if (r.status() / 100 != 2) throw new UserError("the node answered HTTP " + r.status() + " to " + path, CliErrors.FAILURE);
            return new String(r.data(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot reach the node's API on 127.0.0.1:" + node.apiPort() + " (" + e.getMessage()
                    + "); is the node (pid " + node.pid() + ") still running? See its log in the data directory's logs/");
        }
    }

    private record Raw(int status, byte[] data) {}

    public Reply get(String path, Duration timeout) {
        return call("GET", path, null, timeout);
    }

    public Reply post(String path, JsonNode body, Duration timeout) {
        return call("POST", path, body, timeout);
    }

    /** Like {@link #get} but a non-2xx answer becomes a UserError with the API's message. */
    public JsonNode getOk(String path, Duration timeout) {
        return ok(get(path, timeout));
    }

    public JsonNode postOk(String path, JsonNode body, Duration timeout) {
        return ok(post(path, body, timeout));
    }

    /**
     * The body of a 2xx answer; otherwise the API's message as a UserError: a refused request
     * field (400 with "field") spoken of as the command's flag and a usage error (exit 2), any
     * other 400 a usage error too, everything else a failure (exit 1).
     */
    private static JsonNode ok(Reply r) {
        if (r.ok()) return r.body();
        JsonNode field = r.body().path("field");
        if (r.status() == 400 && field.isTextual()) {
            throw CliErrors.of(new InvalidRequestException(field.asText(), r.body().path("problem").asText(r.error())));
        }
        throw new UserError(r.error(), r.status() == 400 ? CliErrors.USAGE : CliErrors.FAILURE);
    }

    public Reply call(String method, String path, JsonNode body, Duration timeout) {
        try {
            return exchange(method, path, body, token, timeout);
        } catch (IOException e) {
            throw new UserError("cannot reach the node's API on 127.0.0.1:" + node.apiPort() + " (" + e.getMessage()
                    + "); is the node (pid " + node.pid() + ") still running? See its log in the data directory's logs/");
        }
    }

    /** One HTTP exchange with an explicit token (tests use it to present a wrong one). */
    public Reply exchange(String method, String path, JsonNode body, String bearer, Duration timeout) throws IOException {
        byte[] payload = body == null ? new byte[0] : json().writeValueAsBytes(body);
        Raw r = exchangeRaw(method, path, payload, body != null, bearer, timeout);
        JsonNode parsed = r.data().length == 0 ? json().createObjectNode() : json().readTree(r.data());
        return new Reply(r.status(), parsed == null ? json().createObjectNode() : parsed);
    }

    private Raw exchangeRaw(String method, String path, byte[] payload, boolean jsonBody, String bearer, Duration timeout) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.apiPort()), 5_000);
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1_000, timeout.toMillis())));
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(node.apiPort()).append("\r\n");
            if (bearer != null) head.append("Authorization: Bearer ").append(bearer).append("\r\n");
            head.append("Connection: close\r\n");
            if (jsonBody) head.append("Content-Type: application/json\r\n");
            head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String status = line(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + status);
            int code;
            try {
                code = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status: " + status);
            }
            long length = -1;
            boolean chunked = false;
            for (int i = 0; i < 100; i++) {
                String h = line(in);
                if (h.isEmpty()) break;
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            byte[] data;
            if (chunked) data = chunked(in);
            else if (length >= 0) {
                if (length > MAX_RESPONSE) throw new IOException("answer too large");
                data = in.readNBytes((int) length);
            } else data = in.readNBytes(MAX_RESPONSE);
            return new Raw(code, data);
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                line(in);
                return out.toByteArray();
            }
            if (out.size() + size > MAX_RESPONSE) throw new IOException("answer too large");
            out.write(in.readNBytes((int) size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 8192) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed mid-answer");
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                return sb.toString();
            }
            sb.append((char) c);
        }
        throw new IOException("header line too long");
    }
}
