package io.ggen.cli.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.node.api.ApiServer;
import io.ggen.node.home.NodeInfo;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiClientTest {
    static final String TOKEN = "cd".repeat(32);
    ApiServer api;
    /** The size of every write the client made to its sockets, in order. */
    final List<Integer> writes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        api = new ApiServer(0, TOKEN);
        api.route("POST", "/v1/body", false, req -> ApiServer.Response.ok(req.body()));
        api.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private ApiClient client() {
        NodeInfo node = new NodeInfo(ProcessHandle.current().pid(), api.port(), "12D3KooWtest", List.of(), System.currentTimeMillis(), "test");
        return new ApiClient(node, TOKEN, () -> new Socket() {
            private OutputStream counted;

            @Override
            public synchronized OutputStream getOutputStream() throws IOException {
                if (counted == null) {
                    counted = new FilterOutputStream(super.getOutputStream()) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            writes.add(len);
                            out.write(b, off, len);
                        }

                        @Override
                        public void write(int b) throws IOException {
                            writes.add(1);
                            out.write(b);
                        }
                    };
                }
                return counted;
            }
        });
    }

    @Test
    void aRequestWithABodyGoesOutInOneWriteAfterTheChallenge() {
        ApiClient client = client();
        String big = "x".repeat(20_000);
        ApiClient.Reply reply = client.post("/v1/body", client.json().createObjectNode().put("big", big), Duration.ofSeconds(10));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("big").asText()).isEqualTo(big);
        // The challenge, then head and body together: a body written on its own may reach the node
        // after its head, and the node's thread then parks waiting for it.
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1)).isGreaterThan(big.length());
    }
}
