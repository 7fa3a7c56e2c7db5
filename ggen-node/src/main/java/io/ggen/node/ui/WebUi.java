package io.ggen.node.ui;

import com.sun.net.httpserver.HttpExchange;
import io.ggen.node.api.ApiServer;
import io.ggen.node.api.ApiServer.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The node's web UI on the control API's port: {@code /ui/login?code=...} spends a one-time code
 * and sets the session cookie (HttpOnly, SameSite=Strict, Path=/), {@code /ui/} and its assets
 * are served to a session only, and {@code POST /v1/ui/login} (behind the token) makes the
 * login URL {@code ggen marketplace p2p ui} prints. The page itself talks to the ordinary
 * {@code /v1/} API with the cookie; {@link ApiServer} checks Host, Origin and the session.
 */
public final class WebUi implements ApiServer.BrowserSite {
    public static final String LOGIN_PATH = "/ui/login";
    public static final String HOME_PATH = "/ui/";

    /** The answer of {@code POST /v1/ui/login}: the URL to open, good once and for {@code expiresInSecs}. */
    public record LoginUrl(String url, long expiresInSecs) {}

    private final UiLogins logins;
    private final UiAssets assets;
    private final int port;

    public WebUi(UiLogins logins, UiAssets assets, int port) {
        this.logins = logins;
        this.assets = assets;
        this.port = port;
    }

    /** The cookie's name carries the port: cookies are shared by every port of a host, and two nodes on one machine keep theirs apart. */
    public String cookieName() {
        return "ggen_ui_" + port;
    }

    public void register(ApiServer api) {
        api.route("POST", "/v1/ui/login", false, req -> {
            // Only the token makes logins: a session (or whoever took its cookie) cannot outlive itself through new ones.
            if (req.browserSession()) throw new ApiServer.ApiError(403, "a login link is made with the API token ('ggen marketplace p2p ui'), not from a browser session");
            return Response.ok(new LoginUrl("http://127.0.0.1:" + port + LOGIN_PATH + "?code=" + logins.newCode(), UiLogins.CODE_LIFETIME.toSeconds()));
        });
        api.site(this);
    }

    @Override
    public boolean hasSession(HttpExchange ex) {
        return session(ex).map(logins::valid).orElse(false);
    }

    private Optional<String> session(HttpExchange ex) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) return Optional.empty();
        int seen = 0;
        for (String header : headers) {
            for (String part : header.split(";", 64)) {
                if (++seen > 64) return Optional.empty();
                int eq = part.indexOf('=');
                if (eq < 0) continue;
                if (part.substring(0, eq).trim().equals(cookieName())) return Optional.of(part.substring(eq + 1).trim());
            }
        }
        return Optional.empty();
    }

    @Override
    public void serve(HttpExchange ex) throws IOException {
        drain(ex);
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            page(ex, 405, "Not allowed", method + " is not allowed here.");
            return;
        }
        if (path.equals("/") || path.equals("/ui")) {
            ex.getResponseHeaders().set("Location", HOME_PATH);
            ex.sendResponseHeaders(303, -1);
            return;
        }
        if (path.equals(LOGIN_PATH)) {
            // GET only: a HEAD (a link checker, a preview) must not spend the code.
            if (method.equals("HEAD")) {
                page(ex, 405, "Not allowed", "Open the login link in a browser.");
                return;
            }
            login(ex);
            return;
        }
        if (!path.startsWith(HOME_PATH)) {
            page(ex, 404, "Not found", "There is nothing at this address.");
            return;
        }
        if (!hasSession(ex)) {
            page(ex, 401, "Log in to this node",
                    "This page needs a login. Run 'ggen marketplace p2p ui' on the machine the node runs on and open the link it prints (each link works once).");
            return;
        }
        String name = path.substring(HOME_PATH.length());
        if (name.isEmpty()) name = "index.html";
        Optional<UiAssets.Asset> asset = assets.get(name);
        if (asset.isEmpty()) {
            page(ex, 404, "Not found", "The web UI has no file by this name.");
            return;
        }
        send(ex, 200, asset.get().contentType(), asset.get().bytes(), method.equals("HEAD"));
    }

    /** Spends the code in the query and answers with the cookie and a redirect to the UI, or a page saying the link is spent. */
    private void login(HttpExchange ex) throws IOException {
        String raw = ex.getRequestURI().getRawQuery();
        String code = null;
        if (raw != null && raw.startsWith("code=") && raw.length() <= 5 + 64) code = raw.substring(5);
        Optional<String> session = logins.exchange(code);
        if (session.isEmpty()) {
            page(ex, 403, "This login link does not work",
                    "A login link works once and for " + UiLogins.CODE_LIFETIME.toMinutes() + " minutes. Run 'ggen marketplace p2p ui' again for a new one.");
            return;
        }
        ex.getResponseHeaders().add("Set-Cookie", cookieName() + "=" + session.get() + "; Path=/; HttpOnly; SameSite=Strict");
        ex.getResponseHeaders().set("Location", HOME_PATH);
        ex.sendResponseHeaders(303, -1);
    }

    /** A small page of text (escaped), for the answers a person sees before the UI loads. */
    private void page(HttpExchange ex, int status, String title, String text) throws IOException {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + " - ggen</title>"
                + "</head><body><main><h1>" + escape(title) + "</h1><p>"
                + escape(text) + "</p></main></body></html>";
        send(ex, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), ex.getRequestMethod().equals("HEAD"));
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void send(HttpExchange ex, int status, String type, byte[] bytes, boolean head) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (head) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A page request has no body; whatever came is read (bounded) so the connection can serve the next request. */
    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readNBytes(ApiServer.MAX_BODY_BYTES);
        }
    }
}
