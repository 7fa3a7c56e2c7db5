package io.ggen.p2p.pubsub;


import io.ggen.p2p.host.NettyHost;
import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.pubsub.gossipsub.Gossipsub;
import io.ggen.p2p.pubsub.gossipsub.GossipsubConfig;
import io.ggen.p2p.pubsub.gossipsub.GossipsubWarmup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GossipsubWarmupTest {
    @Test
    void everyMessageReachesBothOtherPeersAndTheNodeItselfIsUntouched() {
        try (NettyHost node = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
                Gossipsub pubsub = Gossipsub.start(node, GossipsubConfig.defaults())) {
            pubsub.subscribe("/ggen/warmup");
            GossipsubWarmup.Result r = GossipsubWarmup.run(300, Duration.ofSeconds(60));
            assertThat(r.published()).isEqualTo(300);
            assertThat(r.delivered()).isEqualTo(600);
            assertThat(r.processCpu()).isPositive();
            // Private: the node never met the warm-up's peers, nor saw their messages.
            assertThat(node.connections()).isEmpty();
            assertThat(node.peerStore().peers()).isEmpty();
            assertThat(pubsub.stats().received).isZero();
        }
    }

    @Test
    void stopsAtTheDeadline() {
        GossipsubWarmup.Result r = GossipsubWarmup.run(20_000, Duration.ofMillis(300));
        assertThat(r.published()).isLessThan(20_000);
        assertThat(r.delivered()).isLessThanOrEqualTo(2 * r.published());
    }
}
