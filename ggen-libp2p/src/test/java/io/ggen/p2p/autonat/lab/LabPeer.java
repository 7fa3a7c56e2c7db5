package io.ggen.p2p.autonat.lab;

import io.ggen.p2p.autonat.AutonatConfig;
import io.ggen.p2p.autonat.AutonatService;
import io.ggen.p2p.autonat.v1.AutonatV1Client;
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
 * change, {@code SERVED ...} as its AutoNAT servers answer; stops when its standard input
 * closes. {@code -Dlab.confirmations=N} sets AutoNAT's confirmations (default 2);
 * {@code -Dlab.v1check=ADDR,...} asks each bootstrap peer, by AutoNAT v1, about each address
 * and prints {@code V1CHECK <addr> <outcome> <detail>}; {@code -Dlab.mdns=SERVICE} runs mDNS
 * discovery under that service name. {@code CONNECTED <peer>} and {@code DISCOVERED <peer> <addrs>}
 * are printed for each new peer. {@code -Dlab.relay=RELAY_MA} reserves on that relay (dialed
 * first), runs DCUtR (public addresses only) and prints {@code DCUTR <peer> <direct> <detail>}
 * for each round's outcome.
 */
public final class LabPeer {
    private LabPeer() {}

    /** Prints {@code SERVED v2|v1 <requests> <dial-backs that worked>} whenever the counts change (checked 5 times a second). */
    private static void reportServed(AutonatService autonat) {
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("");
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory()).scheduleAtFixedRate(() -> {
            String now = autonat.v2Server().map(s -> "SERVED v2 " + s.served() + " " + s.dialedBack()).orElse("") + "\n"
                    + autonat.v1Server().map(s -> "SERVED v1 " + s.served() + " " + s.dialedBack()).orElse("");
            String before = last.getAndSet(now);
            if (now.equals(before)) return;
            for (String line : now.split("\n")) if (!line.isEmpty() && !before.contains(line)) System.out.println(line);
            System.out.flush();
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** Prints {@code DCUTR <peer> <direct> <detail>} for each new outcome of a connected peer (checked 5 times a second). */
    private static void reportHolePunches(NettyHost host, io.ggen.p2p.holepunch.HolePunchService punch) {
        java.util.Map<io.ggen.p2p.crypto.PeerId, Object> printed = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory()).scheduleAtFixedRate(() -> {
            for (io.ggen.p2p.crypto.PeerId p : host.peerStore().peers()) {
                punch.outcome(p).ifPresent(o -> {
                    if (printed.put(p, o) != o) {
                        System.out.println("DCUTR " + p + " " + o.direct() + " " + o.detail());
                        System.out.flush();
                    }
                });
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

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
                .withIntervals(Duration.ofSeconds(1), Duration.ofMinutes(10))
                .withConfirmations(Integer.getInteger("lab.confirmations", 2)));
        reportServed(autonat);
        java.util.Set<io.ggen.p2p.crypto.PeerId> connected = java.util.concurrent.ConcurrentHashMap.newKeySet();
        host.events().subscribe(Event.ConnectionOpened.class, e -> {
            if (connected.add(e.connection().remotePeer())) {
                System.out.println("CONNECTED " + e.connection().remotePeer());
                System.out.flush();
            }
        });
        java.util.Set<io.ggen.p2p.crypto.PeerId> discovered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        host.events().subscribe(Event.PeerDiscovered.class, e -> {
            if (discovered.add(e.peer())) {
                System.out.println("DISCOVERED " + e.peer() + " " + e.addrs());
                System.out.flush();
            }
        });
        String mdnsService = System.getProperty("lab.mdns");
        if (mdnsService != null) {
            io.ggen.p2p.discovery.mdns.MdnsService.start(host, lab,
                    io.ggen.p2p.discovery.mdns.MdnsService.Config.defaults().withServiceName(mdnsService).withInterval(Duration.ofSeconds(1)))
                    .orElseThrow(() -> new IllegalStateException("no multicast interface"));
        }
        int port = host.listenAddrs().get(0).toTcpSocketAddress().orElseThrow().getPort();
        System.out.println("READY " + args[1] + "/tcp/" + port + "/p2p/" + host.peerId());
        System.out.flush();
        String relay = System.getProperty("lab.relay");
        if (relay != null) {
            io.ggen.p2p.holepunch.HolePunchService punch = new io.ggen.p2p.holepunch.HolePunchService(host, host.holePunchDialer(),
                    io.ggen.p2p.holepunch.HolePunchConfig.defaults().withClassifier(lab), host.identify()::observedAddrs);
            punch.start();
            Multiaddr relayAddr = Multiaddr.fromString(relay);
            host.dial(relayAddr).get(10, TimeUnit.SECONDS);
            host.relayClient().reserve(relayAddr.peerId().orElseThrow());
            System.out.println("RESERVED " + relayAddr + "/p2p-circuit/p2p/" + host.peerId());
            System.out.flush();
            reportHolePunches(host, punch);
        }
        String v1Check = System.getProperty("lab.v1check");
        for (String b : Arrays.asList(args).subList(2, args.length)) {
            try {
                io.ggen.p2p.core.Connection c = host.dial(Multiaddr.fromString(b)).get(10, TimeUnit.SECONDS);
                if (v1Check != null) {
                    c.identified().get(10, TimeUnit.SECONDS);
                    for (String addr : v1Check.split(",")) {
                        AutonatV1Client.Result r = new AutonatV1Client(host, Duration.ofSeconds(30)).check(c, List.of(Multiaddr.fromString(addr)));
                        System.out.println("V1CHECK " + addr + " " + r.outcome() + " " + r.detail());
                        System.out.flush();
                    }
                }
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
