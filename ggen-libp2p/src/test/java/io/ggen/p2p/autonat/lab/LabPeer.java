package io.ggen.p2p.autonat.lab;

import io.ggen.p2p.autonat.AutonatConfig;
import io.ggen.p2p.autonat.AutonatService;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.multiaddr.AddressClassifier;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node of the NAT lab, run in a network namespace by {@link NatLabTest}: a host with
 * AutoNAT (server and client), the lab's documentation ranges counted public. Arguments: the
 * listen address, the address to print for others to dial, then bootstrap addresses. Prints
 * {@code READY <multiaddr>} once listening and {@code REACHABILITY <r> <confidence>} on each
 * change; stops when its standard input closes.
 */
public final class LabPeer {
    private LabPeer() {}

    public static void main(String[] args) throws Exception {
        AddressClassifier lab = AddressClassifier.withPublicRanges(List.of("198.51.100.0/24", "203.0.113.0/24"));
        NettyHost host = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate())
                .withListenAddrs(List.of(Multiaddr.fromString(args[0]))).withAddressClassifier(lab));
        NettyHost dialer = NettyHost.startDialer(host.config());
        host.events().subscribe(Event.ReachabilityChanged.class, e -> {
            System.out.println("REACHABILITY " + e.reachability() + " " + e.confidence());
            System.out.flush();
        });
        AutonatService autonat = AutonatService.start(host, dialer, AutonatConfig.defaults().withClassifier(lab)
                .withIntervals(Duration.ofSeconds(1), Duration.ofMinutes(10)));
        int port = host.listenAddrs().get(0).toTcpSocketAddress().orElseThrow().getPort();
        System.out.println("READY " + args[1] + "/tcp/" + port + "/p2p/" + host.peerId());
        System.out.flush();
        for (String b : Arrays.asList(args).subList(2, args.length)) {
            try {
                host.dial(Multiaddr.fromString(b)).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("DIAL-FAILED " + b + " " + e.getMessage());
                System.out.flush();
            }
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // the test closes our stdin to stop us
            }
        }
        autonat.close();
        host.close();
        dialer.close();
    }
}
