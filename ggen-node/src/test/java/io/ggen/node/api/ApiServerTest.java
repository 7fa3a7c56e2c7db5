package io.ggen.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
}
