package io.ggen.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.node.home.ApiToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's control API: HTTP/1.1 with JSON bodies, bound to 127.0.0.1 only, every request
 * authenticated by the bearer token from the data directory. Handlers run on virtual threads;
 * at most {@link #MAX_CONCURRENT} requests are served at once and bodies are capped, so a
 * local client cannot exhaust the node.
 *
 * <p>Before the token: a request whose {@code Host} is not a loopback name or the bound address
 * is refused (403), so a web page whose name an attacker rebinds to 127.0.0.1 cannot reach the
 * API from a browser; and a request's headers and body must arrive within
 * {@link #REQUEST_READ_TIMEOUT_SECONDS} (the JDK server's {@code sun.net.httpserver.maxReqTime},
 * unless set otherwise), so a half-sent request does not hold a connection. The one route
 * without the token is {@link #CHALLENGE}: the node proves it holds the token
 * ({@link ApiToken#proof}) before a client sends it.
 *
 * <p>A browser is served through a {@link BrowserSite} (the web UI): paths outside {@code /v1/}
 * go to it, and an API request may carry the site's session cookie instead of the token. A
 * write (any method but GET and HEAD) with an {@code Origin} that is not this server is
 * refused, token or not, and a write on a session must carry this server's {@code Origin}:
 * another site's page cannot make the browser act for it. Every answer carries a strict
 * Content-Security-Policy and forbids framing and content sniffing.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    public static final int MAX_BODY_BYTES = 1 << 20;
    public static final int MAX_CONCURRENT = 32;
    /** A request (headers and body) must arrive within this many seconds. */
    public static final int REQUEST_READ_TIMEOUT_SECONDS = 10;
    /** {@code GET /v1/challenge?nonce=<64 hex>}: answered without the token, with the proof as text. */
    public static final String CHALLENGE = "/v1/challenge";
    private static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";

    static {
        // Read once by the JDK's server, when its first instance is made (the node makes no other).
        if (System.getProperty(MAX_REQ_TIME) == null) System.setProperty(MAX_REQ_TIME, String.valueOf(REQUEST_READ_TIMEOUT_SECONDS));
    }

    /**
     * A request: method, path below the route, query parameters, JSON body (empty object when
     * none), and whether a browser session (not the token) authenticated it.
     */
    public record Request(String method, String path, Map<String, String> query, JsonNode body, boolean browserSession) {}

    /**
     * A handler's answer: a body (a record, a collection or a JSON tree, written by {@link #json}
     * with snake_case names), or text.
     */
    public record Response(int status, Object body, String text) {
        public Response(int status, Object body) {
            this(status, body, null);
        }

        public static Response ok(Object body) {
            return new Response(200, body);
        }

        /** A plain-text answer (UTF-8), e.g. output rendered for the CLI. */
        public static Response text(String text) {
            return new Response(200, null, text);
        }
    }

    /** An error the handler wants the client to see, with an HTTP status. */
    public static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public ApiError(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * What answers a browser: pages, assets and the login outside {@code /v1/}, and the sessions
     * it issued, which authenticate API requests as the token does.
     */
    public interface BrowserSite {
        /** Whether the request carries a live session of this site. */
        boolean hasSession(HttpExchange ex);

        /** Answers a request whose path is outside {@code /v1/} (the Host header is already checked). */
        void serve(HttpExchange ex) throws IOException;
    }

    /** Sent with every answer: nothing but this server's own scripts, styles and images, no framing, no plugins. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    private record Route(String method, String path, boolean prefix, Handler handler) {}

    private final ObjectMapper json = Json.mapper();
    private final String token;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(MAX_CONCURRENT);
    private final List<Route> routes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Long> counters = new ConcurrentHashMap<>();
    private volatile BrowserSite site;

    public ApiServer(int port, String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public ObjectMapper json() {
        return json;
    }

    /**
     * The request body as a request record: the record's own constructor checks its rules, and
     * what it refuses (or a field of the wrong type) becomes a 400 naming the field.
     */
    public <T> T read(JsonNode body, Class<T> type) {
        return readRequest(json, body, type);
    }

    /**
     * {@link #read} with a given mapper: binds a parsed body to a request record. Throws only
     * {@link ApiError} (400) and the {@link MarketplaceException} a record's rule raised.
     */
    public static <T> T readRequest(ObjectMapper json, JsonNode body, Class<T> type) {
        try {
            return json.treeToValue(body, type);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            // A rule of the request record (a refusal naming the field) passes through as it is;
            // anything else the constructor threw is still the request's fault, not the node's.
            if (e.getCause() instanceof MarketplaceException m) throw m;
            throw new ApiError(400, "bad request: " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "body" : String.valueOf(e.getPath().get(e.getPath().size() - 1).getFieldName());
            throw new ApiError(400, "\"" + field + "\" has the wrong type");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiError(400, "bad request: " + e.getOriginalMessage());
        }
    }

    /** Serves a browser site beside the API (the web UI); set before {@link #start}. */
    public void site(BrowserSite site) {
        this.site = site;
    }

    /** Adds a route; with {@code prefix} the rest of the path after it goes to the handler. */
    public void route(String method, String path, boolean prefix, Handler handler) {
        routes.add(new Route(method, path, prefix, handler));
    }

    public long requestsServed() {
        return counters.getOrDefault("served", 0L);
    }

    private void serve(HttpExchange ex) {
        try (ex) {
            if (!inFlight.tryAcquire()) {
                send(ex, 503, error("too many requests at once; retry"));
                return;
            }
            try {
                dispatch(ex);
            } finally {
                inFlight.release();
            }
        } catch (IOException e) {
            log.debug("API client went away: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("API request failed", e);
        }
    }

    private void dispatch(HttpExchange ex) throws IOException {
        securityHeaders(ex);
        List<String> hosts = ex.getRequestHeaders().get("Host");
        if (hosts == null || hosts.size() != 1 || !hostAllowed(hosts.get(0), port())) {
            String shown = hosts == null ? "none" : String.join(", ", hosts);
            if (shown.length() > 200) shown = shown.substring(0, 200) + "...";
            send(ex, 403, error("Host header '" + shown + "' does not name this node's control API; it answers to localhost, 127.0.0.1 and [::1] only"));
            return;
        }
        String method = ex.getRequestMethod();
        boolean write = !method.equals("GET") && !method.equals("HEAD");
        List<String> origins = ex.getRequestHeaders().get("Origin");
        String origin = origins == null || origins.isEmpty() ? null : origins.get(0);
        if (write && origin != null && (origins.size() != 1 || !originAllowed(origin, port()))) {
            send(ex, 403, error("a write from the page at Origin '" + clip(origin) + "' is refused; only this node's own web UI may write through a browser"));
            return;
        }
        String path = ex.getRequestURI().getRawPath();
        if (path.equals(CHALLENGE)) {
            answerChallenge(ex);
            return;
        }
        BrowserSite browser = site;
        if (!path.startsWith("/v1/")) {
            if (browser != null) browser.serve(ex);
            else send(ex, 404, error("no such endpoint " + clip(path)));
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String presented = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        boolean byToken = ApiToken.matches(token, presented);
        if (!byToken) {
            boolean session = browser != null && browser.hasSession(ex);
            if (!session) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                send(ex, 401, error("missing or wrong bearer token; the token is in api.token in the node's data directory"
                        + (browser != null ? " (a browser logs in with the link 'ggen marketplace p2p ui' prints)" : "")));
                return;
            }
            if (write && origin == null) {
                send(ex, 403, error("a write on a browser session must come from this node's web UI (no Origin header)"));
                return;
            }
        }
        Route match = null;
        boolean pathKnown = false;
        for (Route r : routes) {
            boolean hit = r.prefix ? path.startsWith(r.path) : path.equals(r.path);
            if (!hit) continue;
            pathKnown = true;
            if (r.method.equals(method)) {
                match = r;
                break;
            }
        }
        if (match == null) {
            send(ex, pathKnown ? 405 : 404, error(pathKnown ? method + " is not allowed on " + path : "no such endpoint " + path));
            return;
        }
        JsonNode body;
        try {
            body = readBody(ex);
        } catch (ApiError e) {
            send(ex, e.status(), error(e.getMessage()));
            return;
        }
        String rest = match.prefix ? java.net.URLDecoder.decode(path.substring(match.path.length()), java.nio.charset.StandardCharsets.UTF_8) : "";
        Request req = new Request(method, rest, query(ex.getRequestURI().getRawQuery()), body, !byToken);
        Response resp;
        try {
            resp = match.handler.handle(req);
        } catch (ApiError e) {
            resp = new Response(e.status(), error(e.getMessage()));
        } catch (InvalidRequestException e) {
            // The field and the problem apart, so a client can speak of its own spelling of the field.
            resp = new Response(400, error(e.getMessage()).put("field", e.field()).put("problem", e.problem()));
        } catch (MarketplaceException e) {
            resp = new Response(status(e), error(e.getMessage()));
        } catch (Exception e) {
            log.warn("API handler {} {} failed", method, path, e);
            resp = new Response(500, error(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        counters.merge("served", 1L, Long::sum);
        if (resp.text() != null) sendText(ex, resp.status(), resp.text());
        else send(ex, resp.status(), resp.body());
    }

    private JsonNode readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return parseBody(json, in.readNBytes(MAX_BODY_BYTES + 1));
        }
    }

    /**
     * A request body as the JSON object a handler gets: empty is {@code {}}; anything larger than
     * {@link #MAX_BODY_BYTES}, not JSON, or not an object is an {@link ApiError} (413 or 400), the
     * only exception this throws.
     */
    public static JsonNode parseBody(ObjectMapper json, byte[] data) {
        if (data.length > MAX_BODY_BYTES) throw new ApiError(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        if (data.length == 0) return json.createObjectNode();
        try {
            JsonNode n = json.readTree(data);
            if (n == null || !n.isObject()) throw new ApiError(400, "request body must be a JSON object");
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiError(400, "request body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError(400, "request body is not JSON: " + e.getMessage());
        }
    }

    /**
     * Whether a Host header names this server: localhost, 127.0.0.1, [::1] or the bound address,
     * with no port or this server's port. Anything else is a name someone else's DNS resolved to
     * 127.0.0.1 (DNS rebinding) or a request meant for another server.
     */
    static boolean hostAllowed(String host, int port) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        String name;
        String portText = null;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) return false;
            name = h.substring(0, end + 1);
            String rest = h.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) return false;
                portText = rest.substring(1);
            }
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0 && h.indexOf(':', colon + 1) >= 0) return false;
            name = colon < 0 ? h : h.substring(0, colon);
            if (colon >= 0) portText = h.substring(colon + 1);
        }
        if (portText != null && !portText.equals(String.valueOf(port))) return false;
        return LOOPBACK_NAMES.contains(name);
    }

    /**
     * Whether an {@code Origin} header names a page of this server: {@code http://} and a Host
     * this server answers to, with its port spelled out (an origin without a port is port 80).
     */
    static boolean originAllowed(String origin, int port) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (!o.startsWith("http://")) return false;
        String hostPort = o.substring("http://".length());
        if (!hostPort.endsWith(":" + port)) return false;
        return hostAllowed(hostPort, port);
    }

    /** The headers every answer carries, API and pages alike. */
    public static void securityHeaders(HttpExchange ex) {
        var h = ex.getResponseHeaders();
        h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        if (!h.containsKey("Cache-Control")) h.set("Cache-Control", "no-store");
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** The names a Host header may give: the loopback names, and the address the server binds (InetAddress.getLoopbackAddress). */
    private static final Set<String> LOOPBACK_NAMES = loopbackNames();

    private static Set<String> loopbackNames() {
        Set<String> names = new HashSet<>(List.of("localhost", "127.0.0.1", "[::1]"));
        InetAddress bound = InetAddress.getLoopbackAddress();
        String a = bound.getHostAddress().toLowerCase(Locale.ROOT);
        names.add(bound instanceof java.net.Inet6Address ? "[" + a.replaceFirst("%.*$", "") + "]" : a);
        return Set.copyOf(names);
    }

    /** Proves to a client that this server holds the token, without the client sending it. */
    private void answerChallenge(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("GET")) {
            send(ex, 405, error(ex.getRequestMethod() + " is not allowed on " + CHALLENGE));
            return;
        }
        String nonce = query(ex.getRequestURI().getRawQuery()).get("nonce");
        if (nonce == null || !ApiToken.isNonce(nonce)) {
            send(ex, 400, error("nonce must be 64 hexadecimal digits"));
            return;
        }
        try (InputStream in = ex.getRequestBody()) {
            in.readNBytes(MAX_BODY_BYTES); // none expected; read so the connection can serve the request that follows
        }
        sendText(ex, 200, ApiToken.proof(token, port(), nonce));
    }

    /** The HTTP status of a use case's refusal: the client's fault (4xx) or the node's state (503). */
    static int status(MarketplaceException e) {
        if (e instanceof io.ggen.marketplace.service.TooBusyException) return 503;
        return switch (e.kind()) {
            case USAGE -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            default -> 422;
        };
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String part : raw.split("&", 64)) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            out.put(java.net.URLDecoder.decode(k, java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    private ObjectNode error(String message) {
        ObjectNode o = json.createObjectNode();
        o.put("error", message);
        return o;
    }

    private void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendText(HttpExchange ex, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        // Requests in flight (such as the stop request that led here) get up to 2 s to finish
        // sending their answer; the JDK server returns as soon as none is left.
        server.stop(2);
        executor.shutdownNow();
    }
}
