package io.ggen.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ggen.node.config.NodeConfig;
import io.ggen.node.config.NodeConfigLoader;
import io.ggen.p2p.autonat.AutonatService;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay service in mode auto follows AutoNAT: its verdicts on the bus, and a forced reachability it published before we started. */
class NatServicesTest {
    @TempDir
    Path tmp;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    private NatServices start(Map<String, String> env) {
        NodeConfig config = NodeConfigLoader.load(tmp.resolve("p2p-config.toml"), false, env, NodeConfigLoader.Flags.NONE);
        NettyHost host = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        closing.add(host);
        AutonatService autonat = AutonatService.start(host, null, config.autonat().withRoles(false, false));
        closing.add(autonat);
        NatServices nat = new NatServices(host, config, autonat);
        nat.start();
        closing.add(nat);
        return nat;
    }

    @Test
    void autoTurnsTheRelayServiceOnWhenAutonatSaysPublicAndOffWhenItSaysPrivate() {
        NatServices nat = start(Map.of());
        assertThat(nat.relayServiceOn()).as("unknown at start").isFalse();
        NettyHost host = (NettyHost) closing.get(0);
        host.events().publish(new Event.ReachabilityChanged(Event.Reachability.PUBLIC, 2, false));
        await().atMost(Duration.ofSeconds(10)).until(nat::relayServiceOn);
        host.events().publish(new Event.ReachabilityChanged(Event.Reachability.PRIVATE, 2, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> !nat.relayServiceOn());
    }

    @Test
    void aForcedPublicReachabilityPublishedByAutonatBeforeTheStartTurnsTheRelayServiceOn() {
        NatServices nat = start(Map.of("GGEN_P2P_FORCE_REACHABILITY", "public"));
        assertThat(nat.relayServiceOn()).isTrue();
    }
}
