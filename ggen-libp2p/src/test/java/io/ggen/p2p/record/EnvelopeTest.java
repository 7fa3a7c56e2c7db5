package io.ggen.p2p.record;

import io.ggen.p2p.multiaddr.Multiaddr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import com.google.protobuf.ByteString;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.record.pb.EnvelopeProto;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

class EnvelopeTest {
    static final PrivateKey KEY = Ed25519PrivateKey.generate();
    static final byte[] TYPE = {0x03, 0x01};

    @Test
    void signedBytesFollowTheRfcLayout() {
        byte[] b = Envelope.signedBytes("ab", new byte[] {9}, new byte[] {1, 2, 3});
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("02" + "6162" + "01" + "09" + "03" + "010203");
    }

    @Test
    void sealThenOpenRoundTrips() throws Exception {
        byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
        Envelope sealed = Envelope.seal(KEY, "test-domain", TYPE, payload);
        Envelope opened = Envelope.open(sealed.encode(), "test-domain");
        assertThat(opened).isEqualTo(sealed);
        assertThat(opened.payload()).isEqualTo(payload);
        assertThat(opened.payloadType()).isEqualTo(TYPE);
        assertThat(opened.signer()).isEqualTo(PeerId.fromPublicKey(KEY.publicKey()));
        assertThat(KEY.publicKey().verify(Envelope.signedBytes("test-domain", TYPE, payload), opened.signature())).isTrue();
    }

    @Test
    void wrongDomainFails() {
        Envelope sealed = Envelope.seal(KEY, "one", TYPE, new byte[] {1});
        assertThatThrownBy(() -> Envelope.open(sealed.encode(), "two"))
                .isInstanceOf(RecordException.class).hasMessageContaining("signature");
    }

    @Test
    void tamperedFieldsFail() throws Exception {
        Envelope sealed = Envelope.seal(KEY, "d", TYPE, new byte[] {1, 2, 3});
        EnvelopeProto.Envelope pb = EnvelopeProto.Envelope.parseFrom(sealed.encode());
        List<EnvelopeProto.Envelope> forged = List.of(
                pb.toBuilder().setPayload(ByteString.copyFrom(new byte[] {1, 2, 4})).build(),
                pb.toBuilder().setPayloadType(ByteString.copyFrom(new byte[] {3, 2})).build(),
                pb.toBuilder().setPublicKey(ByteString.copyFrom(Ed25519PrivateKey.generate().publicKey().marshal())).build(),
                pb.toBuilder().clearSignature().build(),
                pb.toBuilder().clearPublicKey().build(),
                pb.toBuilder().setPublicKey(ByteString.copyFrom(new byte[] {8, 1, 18, 3, 1, 2, 3})).build());
        for (EnvelopeProto.Envelope f : forged) {
            assertThatThrownBy(() -> Envelope.open(f.toByteArray(), "d")).isInstanceOf(RecordException.class);
        }
    }

    @Test
    void sizeLimitsAreEnforced() {
        assertThatThrownBy(() -> Envelope.open(new byte[Envelope.MAX_ENCODED_LENGTH + 1], "d")).isInstanceOf(RecordException.class);
        assertThatThrownBy(() -> Envelope.open(new byte[0], "d")).isInstanceOf(RecordException.class);
        assertThatThrownBy(() -> Envelope.seal(KEY, "d", TYPE, new byte[Envelope.MAX_ENCODED_LENGTH])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelope.seal(KEY, "", TYPE, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomBytesOnlyEverFailCleanly() {
        qt().withExamples(2000).forAll(SourceDSL.lists().of(SourceDSL.integers().between(0, 255)).ofSizeBetween(0, 300))
                .checkAssert(list -> {
                    byte[] b = new byte[list.size()];
                    for (int i = 0; i < b.length; i++) b[i] = (byte) (int) list.get(i);
                    try {
                        Envelope.open(b, "d");
                    } catch (RecordException expected) {
                        // the only failure allowed
                    }
                    try {
                        SignedPeerRecord.open(b);
                    } catch (RecordException expected) {
                        // the only failure allowed
                    }
                });
    }

    @Test
    void bitFlipsInARealEnvelopeFailCleanly() {
        byte[] good = SignedPeerRecord.create(KEY, 7, List.of(Multiaddr.fromBytes(HexFormat.of().parseHex("047f000001060fa1")))).encode();
        qt().withExamples(1000).forAll(SourceDSL.integers().between(0, good.length * 8 - 1)).checkAssert(bit -> {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            try {
                SignedPeerRecord opened = SignedPeerRecord.open(bad);
                // A flip may land in a dropped address or an unknown field; the signature still holds.
                assertThat(opened.peerId()).isEqualTo(PeerId.fromPublicKey(KEY.publicKey()));
            } catch (RecordException expected) {
                // the usual outcome
            }
        });
    }
}
