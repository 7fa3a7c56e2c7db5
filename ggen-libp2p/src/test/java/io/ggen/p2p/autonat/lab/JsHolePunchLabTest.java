package io.ggen.p2p.autonat.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.interop.PeerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DCUtR with js-libp2p (@libp2p/dcutr) as the side that answers (the spec's A): js dials our
 * node through a js relay, we start the round, js answers our CONNECT and dials us on SYNC. js
 * answers only when our addresses pass its own "public" test, hence a {@link PublicPairLab}.
 * js's listening port drops our SYNs, so neither our connection reversal nor our half of the
 * simultaneous open connects: the direct connection is js's dial, made only because the round
 * ran both ways. (js as the side that starts the round, with us answering, is
 * {@code JsRelayInteropTest}.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JsHolePunchLabTest extends PublicPairLab {
    @Test
    void weStartDcutrOverAJsRelayAndAJsPeerAnswersAndDialsUsOnSync() throws Exception {
        PeerProcess relay = lab.closeLater(PeerProcess.jsIn(jsNs, Map.of(), "--host", "11.0.0.2", "--port", "4002", "--no-dht", "--no-pubsub",
                "--relay-server"));
        String relayAddr = "/ip4/11.0.0.2/tcp/4002/p2p/" + relay.peerId();
        // js's listening port takes no connection from our side: our dials to it fail.
        lab.must("ip", "netns", "exec", jsNs, "iptables", "-A", "INPUT", "-p", "tcp", "--syn", "-s", "11.0.0.1", "--dport", "4001", "-j", "DROP");
        NetLab.Peer ours = lab.javaPeer(javaNs, List.of("-Dlab.relay=" + relayAddr), "/ip4/11.0.0.1/tcp/0", "11.0.0.1", List.of());
        ours.await("READY ", Duration.ofSeconds(60));
        String circuit = ours.await("RESERVED ", Duration.ofSeconds(60)).substring("RESERVED ".length());
        PeerProcess jsA = lab.closeLater(PeerProcess.jsIn(jsNs, Map.of(), "--host", "11.0.0.2", "--port", "4001", "--no-dht", "--no-pubsub",
                "--relay-client", "--dcutr"));
        jsA.call(PeerProcess.cmd("dial").put("addr", circuit).put("waitIdentify", false), Duration.ofSeconds(30));
        String outcome = ours.await("DCUTR " + jsA.peerId() + " ", Duration.ofSeconds(90));
        assertThat(outcome).contains(" true ").contains("hole punching");
    }
}
