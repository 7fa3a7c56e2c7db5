package io.ggen.node.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Serves {@code /metrics} in the Prometheus text format on its own listener, apart from the
 * control API (which needs its token): the node's families and the JVM's (memory, GC, threads,
 * classes, CPU, uptime), from a registry of its own rather than the process-wide default.
 */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;
    private final InetSocketAddress address;

    private MetricsServer(HTTPServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /** Starts serving; an address that cannot be bound throws the bind's IOException. */
    public static MetricsServer start(InetSocketAddress listen, NodeCollector collector) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(collector);
        JvmMetrics.builder().register(registry);
        HTTPServer server = HTTPServer.builder().inetAddress(listen.getAddress()).port(listen.getPort()).registry(registry).buildAndStart();
        return new MetricsServer(server, new InetSocketAddress(listen.getAddress(), server.getPort()));
    }

    /** The address bound (the real port when 0 was asked). */
    public InetSocketAddress address() {
        return address;
    }

    /** {@code http://host:port/metrics}. */
    public String url() {
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + address.getPort() + "/metrics";
    }

    @Override
    public void close() {
        server.close();
    }
}
