/**
 * The node's Prometheus metrics: {@link io.ggen.node.metrics.NodeCollector} reads the counters
 * the stack keeps (the host's bandwidth meter, the DHT's and gossipsub's counters, the
 * marketplace's transfer meter and operation histograms, the catalog) at each scrape and turns
 * them into metric families; {@link io.ggen.node.metrics.MetricsServer} serves them, with the
 * JVM's, on their own listener ({@code [metrics] listen}). Only this package knows the Prometheus
 * client: the libp2p stack and the marketplace count with plain counters of their own.
 */
package io.ggen.node.metrics;
