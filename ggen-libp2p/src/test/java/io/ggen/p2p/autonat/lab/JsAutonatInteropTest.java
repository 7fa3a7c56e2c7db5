package io.ggen.p2p.autonat.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.interop.PeerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AutoNAT with js-libp2p 3.x (@libp2p/autonat, @libp2p/autonat-v2), both ways and both
 * versions, between two namespaces js counts as public ({@link PublicPairLab}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JsAutonatInteropTest extends PublicPairLab {
    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void aJsNodeAsksOurServerAndIsDialedBack(String version) throws Exception {
        NetLab.Peer ours = lab.javaPeer(javaNs, List.of(), "/ip4/11.0.0.1/tcp/0", "11.0.0.1", List.of());
        String addr = ours.await("READY ", Duration.ofSeconds(60)).substring(6);
        lab.closeLater(PeerProcess.jsIn(jsNs, Map.of(), "--host", "11.0.0.2", "--no-dht", "--no-pubsub",
                "--autonat", version, "--bootstrap", addr));
        // js may first ask about the address we observed it at (an ephemeral port, which fails):
        // what counts is a dial-back that reached its listening address.
        ours.awaitMatching("SERVED " + version + " [0-9]+ [1-9][0-9]*", Duration.ofSeconds(90));
    }

    @Test
    void ourV2ClientAsksAJsServerAndLearnsPublic() throws Exception {
        // A fixed port: js lists an address only once verified, and the namespace is ours alone.
        PeerProcess js = lab.closeLater(PeerProcess.jsIn(jsNs, Map.of(), "--host", "11.0.0.2", "--port", "4001", "--no-dht", "--no-pubsub",
                "--autonat", "v2"));
        NetLab.Peer ours = lab.javaPeer(javaNs, List.of("-Dlab.confirmations=1"), "/ip4/11.0.0.1/tcp/0", "11.0.0.1",
                List.of("/ip4/11.0.0.2/tcp/4001/p2p/" + js.peerId()));
        assertThat(ours.await("REACHABILITY ", Duration.ofSeconds(90))).isEqualTo("REACHABILITY PUBLIC 1");
    }

    /**
     * js's v1 server dials back through the connection it already has to us and then rejects it
     * (its remote address is our ephemeral port, not the one asked about) and closes it, so it
     * can never confirm a peer that is connected to it. What we check: each side reads the
     * other's messages (js refuses an address at another IP, with its reason), and js closing
     * our connection mid-request is no verdict at all, never a false one.
     */
    @Test
    void ourV1ClientAndAJsServerUnderstandEachOther() throws Exception {
        PeerProcess js = lab.closeLater(PeerProcess.jsIn(jsNs, Map.of(), "--host", "11.0.0.2", "--port", "4001", "--no-dht", "--no-pubsub",
                "--autonat", "v1"));
        NetLab.Peer ours = lab.javaPeer(javaNs, List.of("-Dlab.v1check=/ip4/11.0.0.9/tcp/4001,/ip4/11.0.0.1/tcp/1"), "/ip4/11.0.0.1/tcp/0", "11.0.0.1",
                List.of("/ip4/11.0.0.2/tcp/4001/p2p/" + js.peerId()));
        assertThat(ours.await("V1CHECK /ip4/11.0.0.9/", Duration.ofSeconds(60)))
                .isEqualTo("V1CHECK /ip4/11.0.0.9/tcp/4001 INCONCLUSIVE server answered DIAL_REFUSED: no dialable addresses");
        assertThat(ours.await("V1CHECK /ip4/11.0.0.1/", Duration.ofSeconds(60))).startsWith("V1CHECK /ip4/11.0.0.1/tcp/1 INCONCLUSIVE ");
    }
}
