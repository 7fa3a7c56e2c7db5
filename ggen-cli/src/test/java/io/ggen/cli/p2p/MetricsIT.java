package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.cli.testing.Ggen;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics through the real command: {@code start --metrics-listen} serves /metrics where status
 * says, and status shows the node's traffic; a bad address is a usage error on one line.
 */
class MetricsIT {
    @TempDir
    Path tmp;

    @Test
    void startWithMetricsServesThemAndStatusSaysWhere() throws Exception {
        Ggen ggen = Ggen.in(tmp);
        try (Ggen.Running node = ggen.startNode("--metrics-listen", "127.0.0.1:0")) {
            Ggen.Result status = ggen.run("marketplace", "p2p", "status", "--format", "json");
            assertThat(status.exit()).as(status.toString()).isZero();
            String url = status.json().path("metrics_url").asText();
            assertThat(url).startsWith("http://127.0.0.1:").endsWith("/metrics");
            assertThat(status.json().path("bandwidth").has("bytes_in")).isTrue();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("# TYPE ggen_libp2p_connections gauge", "ggen_catalog_releases 0", "jvm_memory_used_bytes");
            Ggen.Result text = ggen.run("marketplace", "p2p", "status");
            assertThat(text.out()).contains("Metrics:", url).containsPattern("Traffic: +in .* out ").contains("limits: download unlimited, upload unlimited");
        }
    }

    @Test
    void aBadMetricsAddressIsAUsageErrorOnOneLine() throws Exception {
        Ggen ggen = Ggen.in(tmp);
        Ggen.Result r = ggen.run("marketplace", "p2p", "start", "--metrics-listen", "localhost");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: --metrics-listen: metrics.listen: \"localhost\" has no port; "
                + "expected an address like \"127.0.0.1:9464\" or \"[::1]:9464\"");
    }
}
