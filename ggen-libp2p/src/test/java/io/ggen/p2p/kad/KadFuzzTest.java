package io.ggen.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.fuzz.FuzzInput;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every kad-dht message, decoded and then served by a {@link KadNode} as a node serves its
 * streams. The contract: decoding throws only {@link KadException}, and what decodes is within
 * the codec's limits and re-encodes to a stable form; serving throws only {@link KadException}
 * (the stream is reset), every answer encodes within the message limit, and the node's record
 * and provider stores stay within their bounds, whatever a few senders send in any order.
 */
class KadFuzzTest {
    private static final PeerId[] SENDERS = new PeerId[4];
    static {
        for (int i = 0; i < SENDERS.length; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) (i + 1);
            SENDERS[i] = PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(seed).publicKey());
        }
    }

    @FuzzTest
    void message(byte[] input) throws KadException {
        KadMessage m;
        try {
            m = KadCodec.decode(input);
        } catch (KadException refused) {
            return;
        }
        assertThat(m.key()).hasSizeLessThanOrEqualTo(KadCodec.MAX_KEY);
        assertThat(m.closerPeers()).hasSizeLessThanOrEqualTo(KadCodec.MAX_PEERS);
        assertThat(m.providerPeers()).hasSizeLessThanOrEqualTo(KadCodec.MAX_PEERS);
        for (KadMessage.PeerInfo p : m.closerPeers()) assertThat(p.addrs()).hasSizeLessThanOrEqualTo(KadCodec.MAX_ADDRS_PER_PEER);
        byte[] again = KadCodec.encode(m);
        assertThat(KadCodec.encode(KadCodec.decode(again))).isEqualTo(again);
    }

    /** {@code [sender][length][message]}... served in order by one node, with the clock moving. */
    @FuzzTest
    void serve(byte[] input) throws KadException {
        long[] now = {1_700_000_000_000L};
        KadConfig config = KadConfig.defaults();
        KadTransport unreachable = new KadTransport() {
            @Override
            public CompletableFuture<KadMessage> request(KadMessage.PeerInfo peer, KadMessage request) {
                return CompletableFuture.failedFuture(new java.io.IOException("no network in the fuzz target"));
            }

            @Override
            public CompletableFuture<Void> send(KadMessage.PeerInfo peer, KadMessage message) {
                return CompletableFuture.failedFuture(new java.io.IOException("no network in the fuzz target"));
            }
        };
        KadScheduler clock = new KadScheduler() {
            @Override
            public long nowMillis() {
                return now[0];
            }

            @Override
            public Timer schedule(Runnable task, long delayMillis) {
                // timers are not the subject here
                return () -> {};
            }
        };
        KadNode.AddressBook book = new KadNode.AddressBook() {
            @Override
            public List<Multiaddr> addrs(PeerId peer) {
                return List.of();
            }

            @Override
            public void learn(PeerId peer, List<Multiaddr> addrs) {
                assertThat(addrs).hasSizeLessThanOrEqualTo(KadCodec.MAX_ADDRS_PER_PEER);
            }
        };
        KadNode node = new KadNode(SENDERS[0], config, unreachable, clock, new Namespaces(), List::of, book,
                p -> CompletableFuture.completedFuture(true));
        FuzzInput in = new FuzzInput(input);
        while (in.hasMore()) {
            int tag = in.tag();
            byte[] body = in.body();
            now[0] += (tag >>> 4) * 60_000L;
            PeerId from = SENDERS[tag & 3];
            KadMessage req;
            try {
                req = KadCodec.decode(body);
            } catch (KadException refused) {
                continue;
            }
            node.addPeer(from, List.of());
            Optional<KadMessage> answer;
            try {
                answer = node.handle(from, "10.0.0." + (tag & 3), req);
            } catch (KadException refused) {
                continue;
            }
            answer.ifPresent(a -> assertThat(KadCodec.encode(a).length).isLessThanOrEqualTo(KadCodec.MAX_MESSAGE));
            if ((tag & 0x0c) == 0x0c) node.sweep();
            assertThat(node.recordCount()).isLessThanOrEqualTo(config.maxRecords());
            assertThat(node.providerKeyCount()).isLessThanOrEqualTo(config.maxProviderKeys());
        }
    }
}
