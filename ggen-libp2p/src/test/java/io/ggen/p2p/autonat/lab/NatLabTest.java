package io.ggen.p2p.autonat.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.lab.netdelay.NetDelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AutoNAT through a real NAT: network namespaces joined by veth pairs, a "public" segment on
 * 198.51.100.0/24 (a bridge), two AutoNAT servers and a public node on it, and a home node on
 * 10.0.0.0/24 behind a router doing iptables MASQUERADE. The home node must learn PRIVATE, the
 * public node PUBLIC. The documentation range counts as public through the classifier's
 * configured ranges, as in the lab's configuration. Every public host holds what arrives from
 * the segment for 25 +/- 5 ms ({@link NetDelay}), so AutoNAT's dial-backs cross 40-60 ms round trips.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NatLabTest {
    private NetLab lab;

    @BeforeEach
    void open() throws Exception {
        lab = NetLab.open();
        NetDelay.unavailable().ifPresent(why -> Assumptions.abort("the lab's link delay: " + why));
    }

    @AfterEach
    void close() throws Exception {
        if (lab != null) lab.close();
    }

    @Test
    void aNodeBehindNatLearnsPrivateAndAPublicNodeLearnsPublic() throws Exception {
        String wan = lab.ns("wan");
        lab.must("ip", "-n", wan, "link", "add", "br0", "type", "bridge");
        lab.must("ip", "-n", wan, "link", "set", "br0", "up");
        String[][] publics = {{"srv1", "198.51.100.11"}, {"srv2", "198.51.100.12"}, {"pub", "198.51.100.13"}, {"rtr", "198.51.100.1"}};
        List<String> names = new ArrayList<>();
        for (String[] p : publics) {
            String n = lab.ns(p[0]);
            names.add(n);
            lab.link(n, "eth0", p[1] + "/24", wan, "p-" + p[0], null);
            lab.must("ip", "-n", wan, "link", "set", "p-" + p[0], "master", "br0");
            lab.closeLater(NetDelay.ingress(n, "eth0", 16, Duration.ofMillis(25), Duration.ofMillis(5)));
        }
        String rtr = names.get(3);
        String home = lab.ns("home");
        lab.link(home, "eth0", "10.0.0.2/24", rtr, "lan0", "10.0.0.1/24");
        lab.must("ip", "-n", home, "route", "add", "default", "via", "10.0.0.1");
        lab.must("ip", "netns", "exec", rtr, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        lab.must("ip", "netns", "exec", rtr, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "eth0", "-j", "MASQUERADE");

        NetLab.Peer srv1 = lab.javaPeer(names.get(0), List.of(), "/ip4/0.0.0.0/tcp/0", "198.51.100.11", List.of());
        NetLab.Peer srv2 = lab.javaPeer(names.get(1), List.of(), "/ip4/0.0.0.0/tcp/0", "198.51.100.12", List.of());
        String a1 = srv1.await("READY ", Duration.ofSeconds(60)).substring(6);
        String a2 = srv2.await("READY ", Duration.ofSeconds(60)).substring(6);
        NetLab.Peer pub = lab.javaPeer(names.get(2), List.of(), "/ip4/0.0.0.0/tcp/0", "198.51.100.13", List.of(a1, a2));
        NetLab.Peer behindNat = lab.javaPeer(home, List.of(), "/ip4/0.0.0.0/tcp/0", "10.0.0.2", List.of(a1, a2));

        assertThat(behindNat.await("REACHABILITY ", Duration.ofSeconds(90))).isEqualTo("REACHABILITY PRIVATE 2");
        assertThat(pub.await("REACHABILITY ", Duration.ofSeconds(90))).isEqualTo("REACHABILITY PUBLIC 2");
    }
}
