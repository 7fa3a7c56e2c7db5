package io.ggen.cli.bench;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Subscription;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.holepunch.HolePunchConfig;
import io.ggen.p2p.holepunch.HolePunchService;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.relay.RelayConfig;
import io.ggen.p2p.relay.RelayService;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One role of the hole-punch benchmark, run inside a NAT lab namespace by {@link HolePunchBench}:
 * {@code relay <listen>}, {@code target <listen> <relay addr>} (reserves, and starts DCUtR on
 * each relayed connection it receives), {@code dialer <relay addr> <target id> <trials>} (each
 * trial a fresh host on a fresh port, so that no two trials share a TCP 4-tuple: dials the target
 * through the relay, waits for the direct connection, prints one line, hangs up). Prints
 * {@code READY <peer id>} when set up; runs until stdin closes (relay, target) or the trials end.
 */
public final class HolePunchProbe {
    /** The lab's public segment is a documentation range: public here, as nat.public_ranges makes it for a node. */
    static final io.ggen.p2p.multiaddr.AddressClassifier LAB = io.ggen.p2p.multiaddr.AddressClassifier.withPublicRanges(List.of("198.51.100.0/24"));
    static final HolePunchConfig PUNCH = new HolePunchConfig(3, 4, Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(5), false, LAB);
    static final Duration DIRECT_WAIT = Duration.ofSeconds(12);

    private HolePunchProbe() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        switch (args[0]) {
            case "relay" -> {
                NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withAddressClassifier(LAB).withListenAddrs(List.of(Multiaddr.fromString(args[1]))));
                new RelayService(h, RelayConfig.defaults().withClassifier(LAB).withCircuitLimit(new io.ggen.p2p.core.ConnectionLimit(Duration.ofMinutes(2), 1 << 20))).start();
                out.println("READY " + h.peerId());
                System.in.read();
                h.close();
            }
            case "target" -> {
                NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withAddressClassifier(LAB).withListenAddrs(List.of(Multiaddr.fromString(args[1]))));
                HolePunchService punch = new HolePunchService(h, h.holePunchDialer(), PUNCH, h.identify()::holePunchAddrs);
                punch.start();
                Multiaddr relay = Multiaddr.fromString(args[2]);
                h.dial(relay).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);
                h.relayClient().reserve(relay.peerId().orElseThrow());
                out.println("READY " + h.peerId());
                System.in.read();
                h.close();
            }
            case "dialer" -> dialer(Multiaddr.fromString(args[1]), PeerId.fromString(args[2]), Integer.parseInt(args[3]), out);
            default -> throw new IllegalArgumentException("role: relay, target or dialer");
        }
        System.exit(0);
    }

    private static void dialer(Multiaddr relay, PeerId target, int trials, PrintStream out) throws Exception {
        out.println("READY dialer");
        Multiaddr circuit = relay.encapsulate(Multiaddr.fromString("/p2p-circuit")).withPeerId(target);
        for (int i = 1; i <= trials; i++) {
            try (NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withAddressClassifier(LAB).withListenAddrs(List.of(Multiaddr.fromString("/ip4/0.0.0.0/tcp/0"))))) {
                HolePunchService punch = new HolePunchService(h, h.holePunchDialer(), PUNCH, h.identify()::holePunchAddrs);
                punch.start();
                h.dial(relay).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);
                CompletableFuture<Connection> direct = new CompletableFuture<>();
                try (Subscription sub = h.events().subscribe(Event.ConnectionOpened.class, e -> {
                    if (e.connection().remotePeer().equals(target) && !e.connection().relayed()) direct.complete(e.connection());
                })) {
                    long t0 = System.nanoTime();
                    Connection relayed = h.dial(circuit).get(20, TimeUnit.SECONDS);
                    long opened = System.nanoTime();
                    double rttMs = h.ping().ping(relayed, 1).get(0).toNanos() / 1e6;
                    Connection d;
                    try {
                        d = direct.get(DIRECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        d = null;
                    }
                    long end = System.nanoTime();
                    boolean fallbackOk = d != null || !h.ping().ping(relayed, 1).isEmpty();
                    out.printf("TRIAL %d %s relay_open_ms=%.1f to_direct_ms=%.1f relay_rtt_ms=%.3f fallback_ok=%b%n", i, d != null ? "direct" : "relayed",
                            (opened - t0) / 1e6, d != null ? (end - opened) / 1e6 : -1.0, rttMs, fallbackOk);
                }
            } catch (Exception e) {
                out.printf("TRIAL %d error %s%n", i, e.toString().replace('\n', ' '));
            }
        }
    }
}
