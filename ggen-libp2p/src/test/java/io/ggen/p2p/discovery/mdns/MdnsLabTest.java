package io.ggen.p2p.discovery.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.interop.PeerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * mDNS on a home network: three namespaces on a bridge (10.0.1.0/24), two of our nodes and a
 * js-libp2p node (@libp2p/mdns), none given any address of another. Our nodes find and
 * connect to each other; the js node finds ours, and ours connect to it. Multicast stays on
 * the bridge, inside the namespaces.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MdnsLabTest {
    private io.ggen.p2p.autonat.lab.NetLab lab;

    @BeforeEach
    void open() throws Exception {
        lab = io.ggen.p2p.autonat.lab.NetLab.open();
    }

    @AfterEach
    void close() throws Exception {
        if (lab != null) lab.close();
    }

    @Test
    void nodesOnOneNetworkFindEachOtherWithNoBootstrap() throws Exception {
        String lan = lab.ns("lan");
        lab.must("ip", "-n", lan, "link", "add", "br0", "type", "bridge");
        lab.must("ip", "-n", lan, "link", "set", "br0", "up");
        String[] names = {"a", "b", "js"};
        String[] ips = {"10.0.1.2", "10.0.1.3", "10.0.1.4"};
        String[] ns = new String[3];
        for (int i = 0; i < 3; i++) {
            ns[i] = lab.ns(names[i]);
            lab.link(ns[i], "eth0", ips[i] + "/24", lan, "p-" + names[i], null);
            lab.must("ip", "-n", lan, "link", "set", "p-" + names[i], "master", "br0");
            // a home router would give a default route; multicast senders that pick no interface need one
            lab.must("ip", "-n", ns[i], "route", "add", "default", "dev", "eth0");
        }
        var a = lab.javaPeer(ns[0], List.of("-Dlab.mdns=_p2p._udp.local"), "/ip4/0.0.0.0/tcp/0", ips[0], List.of());
        var b = lab.javaPeer(ns[1], List.of("-Dlab.mdns=_p2p._udp.local"), "/ip4/0.0.0.0/tcp/0", ips[1], List.of());
        String aId = a.await("READY ", Duration.ofSeconds(60)).replaceAll(".*/p2p/", "");
        String bId = b.await("READY ", Duration.ofSeconds(60)).replaceAll(".*/p2p/", "");
        PeerProcess js = lab.closeLater(PeerProcess.jsIn(ns[2], Map.of(), "--host", ips[2], "--no-dht", "--no-pubsub", "--mdns"));

        a.await("CONNECTED " + bId, Duration.ofSeconds(60));
        b.await("CONNECTED " + aId, Duration.ofSeconds(60));
        assertThat(a.await("DISCOVERED " + js.peerId(), Duration.ofSeconds(60))).contains("/ip4/" + ips[2] + "/tcp/");
        a.await("CONNECTED " + js.peerId(), Duration.ofSeconds(60));
        var found = js.awaitEvent(e -> "discovered".equals(e.path("event").asText()) && aId.equals(e.path("peer").asText()), Duration.ofSeconds(60));
        assertThat(found.path("addrs").toString()).contains("/ip4/" + ips[0] + "/tcp/");
    }
}
