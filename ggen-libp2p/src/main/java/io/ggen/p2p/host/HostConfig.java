package io.ggen.p2p.host;

import io.ggen.p2p.ProductVersion;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.multiaddr.AddressClassifier;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.mux.yamux.YamuxConfig;
import io.ggen.p2p.security.noise.NoiseConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a host is started with. Immutable; {@link #defaults} gives a sensible node and
 * the {@code with...} methods change one field.
 *
 * @param agentVersion sent in identify, {@code ggen/<version>} for our own nodes
 * @param protocolVersion sent in identify, {@code ggen/1.0.0}
 * @param dialTimeout TCP connect plus the whole upgrade, for one dial
 * @param upgradeTimeout multistream + Noise + multistream + Yamux on an accepted connection
 * @param negotiationTimeout multistream-select on a new stream
 * @param identifyTimeout waiting for the remote's identify answer
 * @param ioThreads Netty event-loop threads (0 = one per two cores, at least one: {@code TcpTransport.defaultIoThreads})
 * @param maxKnownPeers peer store size
 * @param addressClassifier which addresses are public: identify tells peers on public addresses
 *     only our public addresses, and AutoNAT tests and dials public addresses only
 */
public record HostConfig(
        PrivateKey identity,
        List<Multiaddr> listenAddrs,
        String agentVersion,
        String protocolVersion,
        ResourceLimits limits,
        ConnectionManagerConfig connectionManager,
        Duration dialTimeout,
        Duration upgradeTimeout,
        Duration negotiationTimeout,
        Duration identifyTimeout,
        YamuxConfig yamux,
        NoiseConfig noise,
        int ioThreads,
        int maxKnownPeers,
        AddressClassifier addressClassifier) {

    public static final String PROTOCOL_VERSION = "ggen/1.0.0";

    public HostConfig {
        Objects.requireNonNull(identity, "identity");
        listenAddrs = List.copyOf(listenAddrs);
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(connectionManager, "connectionManager");
        Objects.requireNonNull(yamux, "yamux");
        Objects.requireNonNull(noise, "noise");
        if (ioThreads < 0) throw new IllegalArgumentException("ioThreads must be >= 0");
        if (maxKnownPeers <= 0) throw new IllegalArgumentException("maxKnownPeers must be positive");
        Objects.requireNonNull(addressClassifier, "addressClassifier");
    }

    public static HostConfig defaults(PrivateKey identity) {
        return new HostConfig(identity, List.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0")), "ggen/" + ProductVersion.get(),
                PROTOCOL_VERSION, ResourceLimits.defaults(), ConnectionManagerConfig.defaults(), Duration.ofSeconds(20),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(15), YamuxConfig.DEFAULT,
                // Listing the muxer in the Noise payload saves the upgrade's last round trip
                // with every peer that lists one too (js-libp2p, go, rust); others negotiate.
                NoiseConfig.defaults().withStreamMuxers(List.of(UpgradeHandler.YAMUX)), 0, 10_000, AddressClassifier.DEFAULT);
    }

    public HostConfig withListenAddrs(List<Multiaddr> addrs) {
        return new HostConfig(identity, addrs, agentVersion, protocolVersion, limits, connectionManager, dialTimeout,
                upgradeTimeout, negotiationTimeout, identifyTimeout, yamux, noise, ioThreads, maxKnownPeers, addressClassifier);
    }

    public HostConfig withAgentVersion(String agent) {
        return new HostConfig(identity, listenAddrs, agent, protocolVersion, limits, connectionManager, dialTimeout,
                upgradeTimeout, negotiationTimeout, identifyTimeout, yamux, noise, ioThreads, maxKnownPeers, addressClassifier);
    }

    public HostConfig withLimits(ResourceLimits l) {
        return new HostConfig(identity, listenAddrs, agentVersion, protocolVersion, l, connectionManager, dialTimeout,
                upgradeTimeout, negotiationTimeout, identifyTimeout, yamux, noise, ioThreads, maxKnownPeers, addressClassifier);
    }

    public HostConfig withConnectionManager(ConnectionManagerConfig cm) {
        return new HostConfig(identity, listenAddrs, agentVersion, protocolVersion, limits, cm, dialTimeout,
                upgradeTimeout, negotiationTimeout, identifyTimeout, yamux, noise, ioThreads, maxKnownPeers, addressClassifier);
    }

    public HostConfig withTimeouts(Duration dial, Duration upgrade, Duration negotiation, Duration identify) {
        return new HostConfig(identity, listenAddrs, agentVersion, protocolVersion, limits, connectionManager, dial,
                upgrade, negotiation, identify, yamux, noise, ioThreads, maxKnownPeers, addressClassifier);
    }

    public HostConfig withNoise(NoiseConfig n) {
        return new HostConfig(identity, listenAddrs, agentVersion, protocolVersion, limits, connectionManager, dialTimeout,
                upgradeTimeout, negotiationTimeout, identifyTimeout, yamux, n, ioThreads, maxKnownPeers, addressClassifier);
    }

    public HostConfig withYamux(YamuxConfig y) {
        return new HostConfig(identity, listenAddrs, agentVersion, protocolVersion, limits, connectionManager, dialTimeout,
                upgradeTimeout, negotiationTimeout, identifyTimeout, y, noise, ioThreads, maxKnownPeers, addressClassifier);
    }

    public HostConfig withAddressClassifier(AddressClassifier c) {
        return new HostConfig(identity, listenAddrs, agentVersion, protocolVersion, limits, connectionManager, dialTimeout,
                upgradeTimeout, negotiationTimeout, identifyTimeout, yamux, noise, ioThreads, maxKnownPeers, c);
    }

    public HostConfig withIoThreads(int n) {
        return new HostConfig(identity, listenAddrs, agentVersion, protocolVersion, limits, connectionManager, dialTimeout,
                upgradeTimeout, negotiationTimeout, identifyTimeout, yamux, noise, n, maxKnownPeers, addressClassifier);
    }
}
