package io.ggen.p2p.record;

import io.ggen.p2p.multiaddr.Multiaddr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.record.pb.PeerRecordProto;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerRecordTest {
    static final HexFormat HEX = HexFormat.of();
    static final Multiaddr IP4_TCP = Multiaddr.fromBytes(HEX.parseHex("047f000001060fa1")); // /ip4/127.0.0.1/tcp/4001
    static final Multiaddr DNS4_WSS = Multiaddr.fromBytes(HEX.parseHex("360b6578616d706c652e636f6d0601bbde03"));

    @Test
    void createAndOpenRoundTrip() throws Exception {
        PrivateKey key = Ed25519PrivateKey.generate();
        SignedPeerRecord spr = SignedPeerRecord.create(key, 42, List.of(IP4_TCP, DNS4_WSS));
        SignedPeerRecord opened = SignedPeerRecord.open(spr.encode());
        assertThat(opened.record()).isEqualTo(spr.record());
        assertThat(opened.record().seq()).isEqualTo(42);
        assertThat(opened.record().addresses()).containsExactly(IP4_TCP, DNS4_WSS);
        assertThat(opened.peerId()).isEqualTo(PeerId.fromPublicKey(key.publicKey()));
        assertThat(opened.envelope().payloadType()).containsExactly(3, 1);
    }

    @Test
    void recordOfAnotherPeerIsRefused() {
        PrivateKey signer = Ed25519PrivateKey.generate();
        PeerId other = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        byte[] payload = new PeerRecord(other, 1, List.of(IP4_TCP)).encode();
        Envelope env = Envelope.seal(signer, PeerRecord.DOMAIN, PeerRecord.PAYLOAD_TYPE, payload);
        assertThatThrownBy(() -> SignedPeerRecord.open(env.encode())).isInstanceOf(RecordException.class).hasMessageContaining("signed by");
    }

    @Test
    void otherPayloadTypesAndDomainsAreRefused() {
        PrivateKey key = Ed25519PrivateKey.generate();
        byte[] payload = new PeerRecord(PeerId.fromPublicKey(key.publicKey()), 1, List.of()).encode();
        Envelope wrongType = Envelope.seal(key, PeerRecord.DOMAIN, new byte[] {(byte) 0x81, 0x06}, payload);
        assertThatThrownBy(() -> SignedPeerRecord.open(wrongType.encode())).hasMessageContaining("peer record");
        Envelope wrongDomain = Envelope.seal(key, "libp2p-routing-state", PeerRecord.PAYLOAD_TYPE, payload);
        assertThatThrownBy(() -> SignedPeerRecord.open(wrongDomain.encode())).isInstanceOf(RecordException.class);
    }

    @Test
    void malformedAddressesAreDroppedAndTooManyRefused() throws Exception {
        PeerId id = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        PeerRecordProto.PeerRecord.Builder b = PeerRecordProto.PeerRecord.newBuilder()
                .setPeerId(ByteString.copyFrom(id.toBytes())).setSeq(-1L);
        b.addAddressesBuilder().setMultiaddr(ByteString.copyFrom(IP4_TCP.toBytes()));
        b.addAddressesBuilder().setMultiaddr(ByteString.copyFrom(HEX.parseHex("047f00"))); // truncated ip4
        b.addAddressesBuilder().setMultiaddr(ByteString.copyFrom(HEX.parseHex("ff7f"))); // unknown protocol
        b.addAddressesBuilder().setMultiaddr(ByteString.EMPTY);
        PeerRecord r = PeerRecord.decode(b.build().toByteArray());
        assertThat(r.addresses()).containsExactly(IP4_TCP);
        assertThat(r.seq()).isEqualTo(-1L); // 2^64 - 1 unsigned
        assertThat(r.supersedes(new PeerRecord(id, 5, List.of()))).isTrue();

        for (int i = 0; i < PeerRecord.MAX_ADDRESSES; i++) b.addAddressesBuilder().setMultiaddr(ByteString.copyFrom(IP4_TCP.toBytes()));
        assertThatThrownBy(() -> PeerRecord.decode(b.build().toByteArray())).isInstanceOf(RecordException.class);
        List<Multiaddr> many = new ArrayList<>();
        for (int i = 0; i <= PeerRecord.MAX_ADDRESSES; i++) many.add(IP4_TCP);
        assertThatThrownBy(() -> new PeerRecord(id, 1, many)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerRecord.decode(HEX.parseHex("0a03000102"))).isInstanceOf(RecordException.class);
    }

    @Test
    void multiaddrStructureCheck() {
        assertThat(Multiaddr.tryFromBytes(HEX.parseHex("2900000000000000000000000000000001060fa2"))).isPresent(); // ip6/tcp
        assertThat(Multiaddr.tryFromBytes(HEX.parseHex("047f00000191020000"))).isPresent(); // ip4/udp/0
        assertThat(Multiaddr.tryFromBytes(HEX.parseHex("047f00000191020001cd03"))).isPresent(); // ip4/udp/quic-v1
        assertThat(Multiaddr.tryFromBytes(HEX.parseHex("047f000001060fa1"))).contains(IP4_TCP);
        assertThat(Multiaddr.tryFromBytes(HEX.parseHex("360b6578616d706c65"))).isEmpty(); // dns4 value cut short
        assertThat(Multiaddr.tryFromBytes(new byte[0])).isEmpty();
        assertThat(Multiaddr.tryFromBytes(new byte[Multiaddr.MAX_BYTES + 1])).isEmpty();
        assertThat(Multiaddr.tryFromBytes(HEX.parseHex("80"))).isEmpty();
    }
}
