package io.ggen.node.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.node.api.ApiServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web UI's gate on a real API server: the one-time login, the session cookie, the pages
 * served only to a session, and the API's rules for a browser (cookie instead of token, Origin
 * on writes, Host always).
 */
class WebUiTest {
    static final String TOKEN = "ab".repeat(32);
    ApiServer api;
    WebUi ui;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer(0, TOKEN);
        api.route("GET", "/v1/echo", false, req -> ApiServer.Response.ok(api.json().createObjectNode().put("ok", true)));
        api.route("POST", "/v1/write", false, req -> ApiServer.Response.ok(api.json().createObjectNode().put("written", true)));
        ui = new WebUi(new UiLogins(), UiAssets.load(), api.port());
        ui.register(api);
        api.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    String base() {
        return "http://127.0.0.1:" + api.port();
    }

    HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asks for a login URL with the token, as the CLI does, and spends it; the Cookie header value. */
    String login() throws Exception {
        HttpResponse<String> made = send("POST", "/v1/ui/login", Map.of("Authorization", "Bearer " + TOKEN));
        assertThat(made.statusCode()).isEqualTo(200);
        String url = api.json().readTree(made.body()).path("url").asText();
        assertThat(url).startsWith(base() + WebUi.LOGIN_PATH + "?code=");
        HttpResponse<String> spent = send("GET", url.substring(base().length()), Map.of());
        assertThat(spent.statusCode()).isEqualTo(303);
        assertThat(spent.headers().firstValue("Location")).hasValue(WebUi.HOME_PATH);
        String setCookie = spent.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(ui.cookieName() + "=").contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        assertThat(send("GET", url.substring(base().length()), Map.of()).statusCode()).as("a login URL works once").isEqualTo(403);
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void withoutALoginNothingIsServed() throws Exception {
        for (String path : new String[] {"/ui/", "/ui/app.js", "/ui/app.css", "/ui/index.html"}) {
            HttpResponse<String> r = send("GET", path, Map.of());
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.body()).as(path).contains("ggen marketplace p2p ui").doesNotContain("<script");
        }
        assertThat(send("GET", "/v1/echo", Map.of()).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/echo", Map.of("Cookie", ui.cookieName() + "=" + "0".repeat(64))).statusCode()).as("a made-up session").isEqualTo(401);
        assertThat(send("GET", WebUi.LOGIN_PATH + "?code=" + "0".repeat(64), Map.of()).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/v1/ui/login", Map.of()).statusCode()).as("only the token makes a login").isEqualTo(401);
    }

    @Test
    void aSessionGetsThePagesAndTheApiWithAStrictPolicy() throws Exception {
        String cookie = login();
        HttpResponse<String> page = send("GET", "/ui/", Map.of("Cookie", cookie));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script src=\"app.js\"").doesNotContain("http://").doesNotContain("https://");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(send("GET", "/ui/app.js", Map.of("Cookie", cookie)).headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(send("GET", "/ui/../../etc/passwd", Map.of("Cookie", cookie)).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/ui/nothing.js", Map.of("Cookie", cookie)).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v1/echo", Map.of("Cookie", cookie)).statusCode()).isEqualTo(200);
        // Another node's cookie on this machine (cookies ignore ports) is not this node's session.
        String otherName = "ggen_ui_" + (api.port() + 1) + cookie.substring(cookie.indexOf('='));
        assertThat(send("GET", "/v1/echo", Map.of("Cookie", otherName)).statusCode()).isEqualTo(401);
    }

    @Test
    void aWriteOnASessionNeedsThisServersOrigin() throws Exception {
        String cookie = login();
        String own = base();
        assertThat(send("POST", "/v1/write", Map.of("Cookie", cookie, "Origin", own)).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/write", Map.of("Cookie", cookie, "Origin", "http://localhost:" + api.port())).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/v1/write", Map.of("Cookie", cookie)).statusCode()).as("no Origin").isEqualTo(403);
        for (String foreign : new String[] {"http://evil.example", "http://127.0.0.1", "http://127.0.0.1:" + (api.port() + 1), "https://127.0.0.1:" + api.port(),
                "null", "http://127.0.0.1:" + api.port() + ".evil.example"}) {
            HttpResponse<String> r = send("POST", "/v1/write", Map.of("Cookie", cookie, "Origin", foreign));
            assertThat(r.statusCode()).as(foreign).isEqualTo(403);
            assertThat(r.body()).as(foreign).contains("Origin");
        }
        // The token does not make a foreign page's write acceptable either; reads need no Origin.
        assertThat(send("POST", "/v1/write", Map.of("Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example")).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/v1/write", Map.of("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/echo", Map.of("Cookie", cookie, "Origin", "http://evil.example")).statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionCannotMakeNewLogins() throws Exception {
        String cookie = login();
        HttpResponse<String> r = send("POST", "/v1/ui/login", Map.of("Cookie", cookie, "Origin", base()));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("API token");
    }

    @Test
    void aForeignHostIsRefusedForPagesAndLoginsToo() throws Exception {
        String cookie = login();
        for (String path : new String[] {"/ui/", WebUi.LOGIN_PATH + "?code=" + "0".repeat(64), "/"}) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: evil.example:" + api.port() + "\r\nCookie: " + cookie + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).startsWith("HTTP/1.1 403");
        }
        assertThat(raw("GET /ui/ HTTP/1.1\r\nHost: localhost:" + api.port() + "\r\nCookie: " + cookie + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void onlyGetAndHeadReachThePages() throws Exception {
        String cookie = login();
        assertThat(send("POST", "/ui/", Map.of("Cookie", cookie, "Origin", base())).statusCode()).isEqualTo(405);
        assertThat(send("HEAD", "/ui/", Map.of("Cookie", cookie)).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/", Map.of()).headers().firstValue("Location")).hasValue(WebUi.HOME_PATH);
        HttpResponse<String> made = send("POST", "/v1/ui/login", Map.of("Authorization", "Bearer " + TOKEN));
        String path = api.json().readTree(made.body()).path("url").asText().substring(base().length());
        assertThat(send("HEAD", path, Map.of()).statusCode()).as("a HEAD does not spend a code").isEqualTo(405);
        assertThat(send("GET", path, Map.of()).statusCode()).isEqualTo(303);
    }

    String raw(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
