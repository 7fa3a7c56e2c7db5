package io.ggen.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.node.api.ApiServer;
import io.ggen.node.home.ApiToken;
import io.ggen.node.home.DataDir;
import io.ggen.node.home.NodeInfo;
import io.ggen.node.home.NodeLock;
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
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Talks to the running node's control API. A deliberately small HTTP/1.1 client over a plain
 * socket (one request per connection, Content-Length bodies as our server sends): commands such
 * as {@code status} are dominated by JVM start-up, and the JDK's HttpClient costs more to load
 * than the whole request.
 *
 * <p>The token goes only to our node. {@code node.json} names a pid and a port, and both can
 * outlive the node (kill -9, a crash) and be taken by another program; so a node counts as
 * running only while some process holds the data directory's lock, and on every connection the
 * server must first answer a fresh challenge with the proof that it holds the token
 * ({@link ApiToken#proof}, bound to the port) before the request with the token is sent on the
 * same connection.
 */
public final class ApiClient {
    private static final int MAX_RESPONSE = 64 << 20;
    /** The node answers a challenge at once; a program that does not, in this time, is not it. */
    private static final int CHALLENGE_TIMEOUT_MILLIS = 5_000;

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
    private final Supplier<Socket> sockets;

    private ApiClient(NodeInfo node, String token) {
        this(node, token, Socket::new);
    }

    /** With the sockets it connects through given (a test counts what is written to them). */
    ApiClient(NodeInfo node, String token, Supplier<Socket> sockets) {
        this.node = node;
        this.token = token;
        this.sockets = sockets;
    }

    /**
     * The node running on this data directory, if any: it wrote node.json, that process is
     * alive, and a process holds the data directory's lock (a node.json left by a dead node,
     * whose pid another program now has, does not count).
     */
    public static Optional<ApiClient> find(DataDir dir) {
        Optional<NodeInfo> info = NodeInfo.read(dir).filter(NodeInfo::processAlive);
        if (info.isEmpty() || !NodeLock.isHeld(dir)) return Optional.empty();
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

    /** An answer whose body is text: output the node rendered for the command line. */
    public record Text(int status, String text) {}

    /**
     * One request whose answer is text (the node renders a command's output when asked with
     * {@code ?render=}); {@code json} is the request body, already JSON, or null for none. Only
     * a failure to reach or trust the node throws here.
     */
    public Text text(String method, String path, byte[] json, Duration timeout) {
        try {
            Raw r = exchangeRaw(method, path, json == null ? new byte[0] : json, json != null, token, timeout);
            return new Text(r.status(), new String(r.data(), StandardCharsets.UTF_8));
        } catch (NotOurNodeException e) {
            throw notOurNode(e);
        } catch (IOException e) {
            throw new UserError("cannot reach the node's API on 127.0.0.1:" + node.apiPort() + " (" + e.getMessage()
                    + "); is the node (pid " + node.pid() + ") still running? See its log in the data directory's logs/");
        }
    }

    /** The text of a 2xx answer; anything else is the UserError {@link #getOk} would give for it. */
    public String textOk(String method, String path, byte[] json, Duration timeout) {
        Text t = text(method, path, json, timeout);
        if (t.status() / 100 == 2) return t.text();
        throw failure(t);
    }

    /** The UserError for an answer that is not 2xx: the API's {@code {"error": ...}} read as {@link #ok} reads it. */
    public UserError failure(Text t) {
        JsonNode body;
        try {
            body = t.text().isEmpty() ? null : json().readTree(t.text());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) body = json().createObjectNode();
        try {
            ok(new Reply(t.status(), body));
        } catch (UserError e) {
            return e;
        }
        return new UserError("the node answered HTTP " + t.status());
    }

    /** A GET whose answer is text (rendered by the node), or the API's error as a UserError. */
    public String getText(String path, Duration timeout) {
        return textOk("GET", path, null, timeout);
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
        } catch (NotOurNodeException e) {
            throw notOurNode(e);
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

    /** The server on the port of node.json could not prove it is this data directory's node; the token was not sent. */
    public static final class NotOurNodeException extends IOException {
        private static final long serialVersionUID = 1L;

        NotOurNodeException(String message) {
            super(message);
        }
    }

    private UserError notOurNode(NotOurNodeException e) {
        return new UserError("the program listening on 127.0.0.1:" + node.apiPort() + " (the API port in node.json, pid " + node.pid()
                + ") did not prove it is this data directory's node (" + e.getMessage() + "), so the API token was not sent to it;"
                + " if a node is starting, retry in a moment, else restart the node ('ggen marketplace p2p stop' and 'start')");
    }

    private Raw exchangeRaw(String method, String path, byte[] payload, boolean jsonBody, String bearer, Duration timeout) throws IOException {
        try (Socket s = sockets.get()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.apiPort()), 5_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            // The challenge first, on this connection: the token follows only once the server has
            // shown it holds the token too.
            s.setSoTimeout(CHALLENGE_TIMEOUT_MILLIS);
            String nonce = ApiToken.newNonce();
            String challenge = "GET " + ApiServer.CHALLENGE + "?nonce=" + nonce + " HTTP/1.1\r\nHost: 127.0.0.1:" + node.apiPort()
                    + "\r\nContent-Length: 0\r\n\r\n";
            out.write(challenge.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Raw answer;
            try {
                answer = readResponse(in, 256);
            } catch (IOException e) {
                throw new NotOurNodeException("no valid answer to the challenge: " + e.getMessage());
            }
            String proof = new String(answer.data(), StandardCharsets.US_ASCII);
            if (answer.status() != 200 || !ApiToken.proofMatches(token, node.apiPort(), nonce, proof)) {
                throw new NotOurNodeException("its answer to the challenge was HTTP " + answer.status() + " without the proof");
            }
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1_000, timeout.toMillis())));
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(node.apiPort()).append("\r\n");
            if (bearer != null) head.append("Authorization: Bearer ").append(bearer).append("\r\n");
            head.append("Connection: close\r\n");
            if (jsonBody) head.append("Content-Type: application/json\r\n");
            head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
            // Head and body in one write, so in one segment. Written apart, the body waited (Nagle)
            // for the ACK of the head, which the node's kernel may delay by 40 ms: a POST command
            // such as `marketplace search` took about 40 ms longer. And the node's virtual thread,
            // finding no body yet, parked in the JDK's socket poller (set up at that first park).
            byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(headBytes, Math.addExact(headBytes.length, payload.length));
            System.arraycopy(payload, 0, request, headBytes.length, payload.length);
            out.write(request);
            out.flush();
            return readResponse(in, MAX_RESPONSE);
        }
    }

    /** One answer: status line, headers, and a body of Content-Length or chunks (or to the end, after Connection: close). */
    private static Raw readResponse(InputStream in, int maxBody) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + status);
        int code = (int) number(parts[1], 10, "HTTP status");
        long length = -1;
        boolean chunked = false;
        for (int i = 0; i < 100; i++) {
            String h = line(in);
            if (h.isEmpty()) break;
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = number(h.substring(15).trim(), 10, "Content-Length");
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        }
        byte[] data;
        if (chunked) data = chunked(in, maxBody);
        else if (length >= 0) {
            if (length > maxBody) throw new IOException("answer too large");
            data = in.readNBytes((int) length);
            if (data.length < length) throw new IOException("connection closed mid-answer");
        } else data = in.readNBytes(maxBody);
        return new Raw(code, data);
    }

    private static long number(String text, int radix, String what) throws IOException {
        try {
            long n = Long.parseLong(text, radix);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("not a valid " + what + ": " + (text.length() > 40 ? text.substring(0, 40) + "..." : text));
        }
    }

    private static byte[] chunked(InputStream in, int maxBody) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semi = sizeLine.indexOf(';');
            long size = number((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16, "chunk size");
            if (size == 0) {
                line(in);
                return out.toByteArray();
            }
            if (out.size() + size > maxBody) throw new IOException("answer too large");
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
