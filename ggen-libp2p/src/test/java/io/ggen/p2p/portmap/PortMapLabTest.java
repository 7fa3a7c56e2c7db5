package io.ggen.p2p.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each client against Debian's miniupnpd in a network namespace ({@link MiniupnpdLab}): the
 * mapping appears with the router's external address, the router forwards a connection from
 * beyond its wan to the home side, the mapping is renewed at half its (short, 4 s) lease, and
 * stopping deletes the mapping on the router.
 */
class PortMapLabTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void available() {
        MiniupnpdLab.assumeAvailable();
    }

    /** The probe's next line other than a renewal still reported after stdin closed. */
    private static String nextLineNotRenewal(MiniupnpdLab.Jvm probe) throws InterruptedException {
        for (int i = 0; i < 32; i++) {
            String l = probe.lines().poll(20, TimeUnit.SECONDS);
            if (l == null || !l.startsWith("mapped ")) return l;
        }
        return null;
    }

    @ParameterizedTest
    @EnumSource(MappingMethod.class)
    void mapsForwardsAndDeletesOnStop(MappingMethod method) throws Exception {
        try (MiniupnpdLab lab = MiniupnpdLab.start(tmp, method == MappingMethod.UPNP, method != MappingMethod.UPNP)) {
            MiniupnpdLab.Jvm probe = lab.java(lab.home, PortMapProbe.class, method.name(), "4001", "4");
            String mapped = probe.lines().poll(30, TimeUnit.SECONDS);
            assertThat(mapped).as("probe output; router log:\n" + lab.log()).isNotNull().startsWith("mapped " + method.wireName() + " " + MiniupnpdLab.WAN_IP + ":");
            String[] f = mapped.split(" ");
            int externalPort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1));
            assertThat(Long.parseLong(f[3])).isBetween(1L, 4L);
            assertThat(lab.dnatRules()).contains("dport " + externalPort).contains(MiniupnpdLab.HOME_IP + ":4001");

            String answer = MiniupnpdLab.sh("ip", "netns", "exec", lab.pub, "bash", "-c",
                    "exec 3<>/dev/tcp/" + MiniupnpdLab.WAN_IP + "/" + externalPort + " && timeout 5 head -n1 <&3");
            assertThat(answer.strip()).isEqualTo("hello");

            String renewed = probe.lines().poll(20, TimeUnit.SECONDS);
            assertThat(renewed).as("renewed at half the lease; router log:\n" + lab.log()).isNotNull().startsWith("mapped " + method.wireName() + " " + f[2] + " ");

            probe.process().getOutputStream().close();
            assertThat(nextLineNotRenewal(probe)).isEqualTo("none");
            assertThat(nextLineNotRenewal(probe)).startsWith("stopped");
            assertThat(lab.dnatRules()).doesNotContain("dport " + externalPort);
            if (method == MappingMethod.UPNP && Files.exists(lab.leases)) assertThat(Files.readString(lab.leases)).doesNotContain(":" + externalPort + ":");
        }
    }
}
