package io.ggen.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.protobuf.ByteString;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.kad.pb.KadProto;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KadCodecTest {
    static final PeerId A = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

    @Test
    void roundTripsEveryField() throws Exception {
        KadMessage m = new KadMessage(KadMessage.Type.GET_PROVIDERS, "k".getBytes(StandardCharsets.UTF_8),
                Optional.of(new ValueRecord("k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}, Instant.parse("2026-11-23T10:00:00Z"))),
                List.of(new KadMessage.PeerInfo(A, List.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001")), true)),
                List.of(new KadMessage.PeerInfo(A, List.of(), false)));
        KadMessage back = KadCodec.decode(KadCodec.encode(m));
        assertThat(back.type()).isEqualTo(KadMessage.Type.GET_PROVIDERS);
        assertThat(back.key()).isEqualTo(m.key());
        assertThat(back.record().get().value()).containsExactly(1, 2);
        assertThat(back.record().get().timeReceived()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(back.closerPeers()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(A);
            assertThat(p.connected()).isTrue();
            assertThat(p.addrs()).hasToString("[/ip4/127.0.0.1/tcp/4001]");
        });
        assertThat(back.providerPeers()).extracting(KadMessage.PeerInfo::id).containsExactly(A);
    }

    @Test
    void limitsAreEnforced() {
        byte[] big = KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.PUT_VALUE)
                .setRecord(KadProto.Record.newBuilder().setKey(ByteString.copyFromUtf8("/ggen/x")).setValue(ByteString.copyFrom(new byte[KadCodec.MAX_VALUE + 1])))
                .build().toByteArray();
        assertThatThrownBy(() -> KadCodec.decode(big)).isInstanceOf(KadException.class).hasMessageContaining("exceeds");
        KadProto.Message.Builder many = KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.FIND_NODE);
        for (int i = 0; i <= KadCodec.MAX_PEERS; i++) many.addCloserPeers(KadProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(A.toBytes())));
        assertThatThrownBy(() -> KadCodec.decode(many.build().toByteArray())).hasMessageContaining("more than");
        assertThatThrownBy(() -> KadCodec.decode(KadProto.Message.newBuilder().setTypeValue(9).build().toByteArray())).hasMessageContaining("unknown message type");
        assertThatThrownBy(() -> KadCodec.decode(KadProto.Message.newBuilder().setKey(ByteString.copyFrom(new byte[KadCodec.MAX_KEY + 1])).build().toByteArray()))
                .hasMessageContaining("key");
    }

    @Test
    void malformedPeerEntriesAreDroppedNotFatal() throws Exception {
        byte[] bytes = KadProto.Message.newBuilder().setType(KadProto.Message.MessageType.FIND_NODE)
                .addCloserPeers(KadProto.Message.Peer.newBuilder().setId(ByteString.copyFromUtf8("not a peer id")))
                .addCloserPeers(KadProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(A.toBytes())).addAddrs(ByteString.copyFromUtf8("garbage")))
                .build().toByteArray();
        KadMessage m = KadCodec.decode(bytes);
        assertThat(m.closerPeers()).singleElement().satisfies(p -> assertThat(p.addrs()).isEmpty());
    }

    @Test
    void arbitraryBytesDecodeOrFailCleanly() {
        qt().withExamples(2000).forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 300)).checkAssert(ints -> {
            byte[] b = new byte[ints.size()];
            for (int i = 0; i < b.length; i++) b[i] = (byte) (int) ints.get(i);
            try {
                KadCodec.decode(b);
            } catch (KadException expected) {
                // refused with a reason
            }
        });
    }

    @Test
    void mutatedValidMessagesDecodeOrFailCleanly() {
        byte[] valid = KadCodec.encode(new KadMessage(KadMessage.Type.GET_VALUE, "/ggen/k".getBytes(StandardCharsets.UTF_8), Optional.empty(),
                List.of(new KadMessage.PeerInfo(A, List.of(Multiaddr.fromString("/ip4/10.0.0.1/tcp/1")), false)), List.of()));
        qt().withExamples(2000).forAll(integers().between(0, valid.length - 1), integers().between(0, 255), arbitrary().pick(true, false))
                .checkAssert((pos, val, truncate) -> {
                    byte[] b = truncate ? java.util.Arrays.copyOf(valid, pos) : valid.clone();
                    if (!truncate) b[pos] = (byte) (int) val;
                    try {
                        KadCodec.decode(b);
                    } catch (KadException expected) {
                        // refused with a reason
                    }
                });
    }
}
