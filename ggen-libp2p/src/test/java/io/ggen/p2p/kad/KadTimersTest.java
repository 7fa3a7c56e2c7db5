package io.ggen.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A finished request or lookup leaves no timer behind. Every request and every lookup schedules
 * its timeout; one that completes first must call it off, or the timer queue holds the
 * finished query, its candidates and every answer until the timeout's time (found by the soak:
 * a node's kad timer queue held 66 finished lookups 16 minutes into the run).
 */
class KadTimersTest {
    private static PeerId peer(int i) {
        byte[] seed = new byte[32];
        seed[0] = (byte) i;
        seed[1] = 0x7a;
        return PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(seed).publicKey());
    }

    /** A scheduler that never fires and counts the timers not yet cancelled. */
    private static final class Timers implements KadScheduler {
        final List<boolean[]> live = new ArrayList<>();

        @Override
        public long nowMillis() {
            return 1_700_000_000_000L;
        }

        @Override
        public Timer schedule(Runnable task, long delayMillis) {
            boolean[] pending = {true};
            live.add(pending);
            return () -> pending[0] = false;
        }

        long pending() {
            return live.stream().filter(p -> p[0]).count();
        }
    }

    private static KadNode node(KadTransport transport, Timers timers) {
        KadNode.AddressBook book = new KadNode.AddressBook() {
            @Override
            public List<Multiaddr> addrs(PeerId peer) {
                return List.of();
            }

            @Override
            public void learn(PeerId peer, List<Multiaddr> addrs) {
                // nothing to remember here
            }
        };
        KadNode node = new KadNode(peer(0), KadConfig.defaults(), transport, timers, new Namespaces(), List::of, book,
                p -> CompletableFuture.completedFuture(true));
        for (int i = 1; i <= 5; i++) node.addPeer(peer(i), List.of(Multiaddr.fromString("/ip4/10.0.0." + i + "/tcp/4001")));
        return node;
    }

    private static KadTransport answering(boolean succeed) {
        return new KadTransport() {
            @Override
            public CompletableFuture<KadMessage> request(KadMessage.PeerInfo peer, KadMessage request) {
                if (!succeed) return CompletableFuture.failedFuture(new IOException("refused"));
                return CompletableFuture.completedFuture(new KadMessage(request.type(), request.key(), Optional.empty(), List.of(), List.of()));
            }

            @Override
            public CompletableFuture<Void> send(KadMessage.PeerInfo peer, KadMessage message) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }

    @Test
    void aLookupAnsweredByEveryPeerCancelsItsOwnTimeoutAndEveryRequestsTimeout() {
        Timers timers = new Timers();
        KadNode.LookupResult r = node(answering(true), timers).closestPeers(new byte[] {1, 2, 3}).join();
        assertThat(r.requests()).isEqualTo(5);
        assertThat(timers.live).hasSize(6); // five requests and the lookup
        assertThat(timers.pending()).isZero();
    }

    @Test
    void aLookupWhoseRequestsAllFailCancelsEveryTimeoutToo() {
        Timers timers = new Timers();
        KadNode.LookupResult r = node(answering(false), timers).closestPeers(new byte[] {4, 5, 6}).join();
        assertThat(r.failures()).isEqualTo(5);
        assertThat(timers.live).hasSize(6);
        assertThat(timers.pending()).isZero();
    }
}
