package io.ggen.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.node.home.ApiToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiServerTest {
    static final String TOKEN = "ab".repeat(32);
    ApiServer api;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer(0, TOKEN);
        api.route("GET", "/v1/echo", false, req -> ApiServer.Response.ok(api.json().createObjectNode().put("q", req.query().getOrDefault("q", ""))));
        api.route("POST", "/v1/body", false, req -> ApiServer.Response.ok(req.body()));
        api.route("GET", "/v1/item/", true, req -> {
            throw new ApiServer.ApiError(404, "no item " + req.path());
        });
        api.route("GET", "/v1/text", false, req -> ApiServer.Response.text("Status: ünïcode ok\n"));
        api.route("GET", "/v1/boom", false, req -> {
            throw new IllegalStateException("handler bug");
        });
        api.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersOnlyWithTheToken() throws Exception {
        assertThat(send("GET", "/v1/echo?q=hi", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/echo?q=hi", null, "cd".repeat(32)).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/echo?q=hi", null, TOKEN.substring(1)).statusCode()).isEqualTo(401);
        HttpResponse<String> ok = send("GET", "/v1/echo?q=hi%20there", null, TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"q\":\"hi there\"}");
    }

    @Test
    void badRequestsGetAStatusAndAMessageNeverACrash() throws Exception {
        assertThat(send("GET", "/v1/nothing", null, TOKEN).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/v1/echo", null, TOKEN).statusCode()).isEqualTo(405);
        assertThat(send("POST", "/v1/body", "not json", TOKEN).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/body", "[1,2]", TOKEN).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/body", "x".repeat(ApiServer.MAX_BODY_BYTES + 10), TOKEN).statusCode()).isEqualTo(413);
        HttpResponse<String> missing = send("GET", "/v1/item/abc", null, TOKEN);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no item abc");
        HttpResponse<String> bug = send("GET", "/v1/boom", null, TOKEN);
        assertThat(bug.statusCode()).isEqualTo(500);
        assertThat(bug.body()).contains("handler bug");
        assertThat(send("POST", "/v1/body", "{\"a\":1}", TOKEN).body()).isEqualTo("{\"a\":1}");
    }

    @Test
    void textAnswersAreUtf8PlainText() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/text", null, TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.body()).isEqualTo("Status: ünïcode ok\n");
        assertThat(send("GET", "/v1/text", null, null).statusCode()).isEqualTo(401);
    }

    /** One request over a raw socket (the JDK's HttpClient will not send a Host header of our choosing); the status line's code. */
    String raw(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    String get(String host, String token) throws IOException {
        return raw("GET /v1/echo?q=x HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n");
    }

    @Test
    void onlyLoopbackNamesInTheHostHeaderAreServedEvenWithTheToken() throws Exception {
        int port = api.port();
        for (String ok : java.util.List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port, "127.0.0.1", "localhost")) {
            assertThat(get(ok, TOKEN)).as(ok).startsWith("HTTP/1.1 200");
        }
        // a page at evil.example whose DNS answer was rebound to 127.0.0.1 sends its own name
        for (String bad : java.util.List.of("evil.example:" + port, "evil.example", "127.0.0.1.nip.io:" + port, "127.0.0.1:" + (port + 1),
                "localhost:" + port + ":" + port, "[::1]x", "127.0.0.2:" + port, "")) {
            String answer = get(bad, TOKEN);
            assertThat(answer).as(bad).startsWith("HTTP/1.1 403").contains("answers to localhost, 127.0.0.1 and [::1] only");
        }
        assertThat(raw("GET /v1/echo HTTP/1.0\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n")).as("no Host").startsWith("HTTP/1.1 403");
        assertThat(raw("GET /v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n"))
                .as("two Hosts").startsWith("HTTP/1.1 403");
        // the challenge, the one route without the token, is behind the same check
        assertThat(raw("GET /v1/challenge?nonce=" + "0".repeat(64) + " HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 403");
    }

    @Test
    void hostRule() {
        assertThat(ApiServer.hostAllowed("localhost:8080", 8080)).isTrue();
        assertThat(ApiServer.hostAllowed(" 127.0.0.1:8080 ", 8080)).isTrue();
        assertThat(ApiServer.hostAllowed("[::1]", 8080)).isTrue();
        assertThat(ApiServer.hostAllowed("localhost:80", 8080)).isFalse();
        assertThat(ApiServer.hostAllowed("localhost.evil.example:8080", 8080)).isFalse();
        assertThat(ApiServer.hostAllowed("[::1", 8080)).isFalse();
        assertThat(ApiServer.hostAllowed("[::2]:8080", 8080)).isFalse();
        assertThat(ApiServer.hostAllowed("::1", 8080)).isFalse();
    }

    @Test
    void theChallengeIsAnsweredWithoutTheTokenAndProvesTheServerHoldsIt() throws Exception {
        String nonce = ApiToken.newNonce();
        HttpResponse<String> r = send("GET", "/v1/challenge?nonce=" + nonce, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(ApiToken.proof(TOKEN, api.port(), nonce));
        assertThat(ApiToken.proofMatches(TOKEN, api.port(), nonce, r.body())).isTrue();
        assertThat(ApiToken.proofMatches(TOKEN, api.port() + 1, nonce, r.body())).as("bound to the port").isFalse();
        assertThat(ApiToken.proofMatches("cd".repeat(32), api.port(), nonce, r.body())).as("bound to the token").isFalse();
        assertThat(r.body()).doesNotContain(TOKEN);
        assertThat(send("GET", "/v1/challenge?nonce=xyz", null, null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/v1/challenge", null, null).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/v1/challenge?nonce=" + nonce, "{}", null).statusCode()).isEqualTo(405);
    }

    @Test
    void theChallengeAndTheRequestShareOneConnection() throws Exception {
        String nonce = ApiToken.newNonce();
        String answer = raw("GET /v1/challenge?nonce=" + nonce + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
                + "GET /v1/echo?q=after HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).contains(ApiToken.proof(TOKEN, api.port(), nonce)).contains("{\"q\":\"after\"}");
    }

    /** A client that sends half a request is cut off, instead of holding a connection (and a thread) for minutes. */
    @Test
    void aHalfSentRequestIsClosed() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
            s.setSoTimeout((ApiServer.REQUEST_READ_TIMEOUT_SECONDS + 20) * 1000);
            s.getOutputStream().write("GET /v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            // meanwhile others are served
            assertThat(send("GET", "/v1/echo?q=other", null, TOKEN).statusCode()).isEqualTo(200);
            InputStream in = s.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a half-sent request open for " + (ApiServer.REQUEST_READ_TIMEOUT_SECONDS + 20) + " s", e);
            } catch (IOException reset) {
                read = -1; // closed by the server: a reset is as good as an end
            }
            assertThat(read).isEqualTo(-1);
        }
    }
}
