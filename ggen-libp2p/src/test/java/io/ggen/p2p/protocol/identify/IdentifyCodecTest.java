package io.ggen.p2p.protocol.identify;


import io.ggen.p2p.core.IdentifyInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import com.google.protobuf.ByteString;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.multiformats.Varint;
import io.ggen.p2p.protocol.identify.pb.IdentifyProto;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.record.SignedPeerRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

class IdentifyCodecTest {
    static final HexFormat HEX = HexFormat.of();
    static final PrivateKey KEY = Ed25519PrivateKey.generate();
    static final Multiaddr IP4_TCP = Multiaddr.fromBytes(HEX.parseHex("047f000001060fa1"));
    static final Multiaddr OBSERVED = Multiaddr.fromBytes(HEX.parseHex("040a00000106d903"));

    static IdentifyInfo sample() {
        return IdentifyInfo.of(KEY.publicKey(), "ggen/1.0.0", "ggen/0.1.0", List.of(IP4_TCP), Optional.of(OBSERVED),
                List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"), Optional.of(SignedPeerRecord.create(KEY, 5, List.of(IP4_TCP))));
    }

    @Test
    void roundTrips() throws Exception {
        IdentifyInfo info = sample();
        IdentifyInfo back = IdentifyCodec.decode(IdentifyCodec.encode(info));
        assertThat(back.peerId()).isEqualTo(PeerId.fromPublicKey(KEY.publicKey()));
        assertThat(back.protocolVersion()).isEqualTo("ggen/1.0.0");
        assertThat(back.agentVersion()).isEqualTo("ggen/0.1.0");
        assertThat(back.listenAddrs()).containsExactly(IP4_TCP);
        assertThat(back.observedAddr()).contains(OBSERVED);
        assertThat(back.protocols()).containsExactly("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
        assertThat(back.signedPeerRecord().orElseThrow().record()).isEqualTo(info.signedPeerRecord().orElseThrow().record());
    }

    @Test
    void usesTheSpecFieldNumbers() throws Exception {
        IdentifyProto.Identify pb = IdentifyProto.Identify.parseFrom(IdentifyCodec.encode(sample()));
        assertThat(pb.getUnknownFields().asMap()).isEmpty();
        byte[] enc = IdentifyCodec.encode(IdentifyInfo.of(KEY.publicKey(), "p", "a", List.of(), Optional.empty(), List.of("/x"), Optional.empty()));
        // Written in field number order: 1 (0x0a) key, 3 (0x1a) protocols, 5 (0x2a) protocolVersion, 6 (0x32) agentVersion.
        assertThat(HEX.formatHex(enc)).startsWith("0a24").endsWith("1a022f78" + "2a0170" + "320161");
    }

    @Test
    void publicKeyIsRequiredExceptInPush() throws Exception {
        byte[] noKey = IdentifyProto.Identify.newBuilder().setAgentVersion("x").addProtocols("/a").build().toByteArray();
        assertThatThrownBy(() -> IdentifyCodec.decode(noKey)).isInstanceOf(IdentifyException.class).hasMessageContaining("public key");
        IdentifyInfo push = IdentifyCodec.decodePush(noKey);
        assertThat(push.publicKey()).isNull();
        assertThat(push.peerId()).isNull();
        assertThat(push.protocols()).containsExactly("/a");
        assertThat(push.protocolVersion()).isEmpty();
    }

    @Test
    void badAddressesAreSkippedNotFatal() throws Exception {
        byte[] msg = IdentifyProto.Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(KEY.publicKey().marshal()))
                .addListenAddrs(ByteString.copyFrom(HEX.parseHex("ffff03")))
                .addListenAddrs(ByteString.copyFrom(IP4_TCP.toBytes()))
                .addListenAddrs(ByteString.EMPTY)
                .setObservedAddr(ByteString.copyFrom(HEX.parseHex("04")))
                .build().toByteArray();
        IdentifyInfo info = IdentifyCodec.decode(msg);
        assertThat(info.listenAddrs()).containsExactly(IP4_TCP);
        assertThat(info.observedAddr()).isEmpty();
    }

    @Test
    void forgedOrForeignPeerRecordsAreDropped() throws Exception {
        byte[] good = SignedPeerRecord.create(KEY, 1, List.of(IP4_TCP)).encode();
        byte[] forged = good.clone();
        forged[forged.length - 1] ^= 1;
        byte[] foreign = SignedPeerRecord.create(Ed25519PrivateKey.generate(), 1, List.of(IP4_TCP)).encode();
        for (byte[] record : List.of(forged, foreign)) {
            byte[] msg = IdentifyProto.Identify.newBuilder()
                    .setPublicKey(ByteString.copyFrom(KEY.publicKey().marshal()))
                    .setSignedPeerRecord(ByteString.copyFrom(record)).build().toByteArray();
            assertThat(IdentifyCodec.decode(msg).signedPeerRecord()).isEmpty();
        }
    }

    @Test
    void limitsAreEnforced() throws Exception {
        byte[] big = IdentifyProto.Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(KEY.publicKey().marshal()))
                .setAgentVersion("a".repeat(IdentifyCodec.MAX_VERSION_LENGTH + 1)).build().toByteArray();
        assertThatThrownBy(() -> IdentifyCodec.decode(big)).isInstanceOf(IdentifyException.class);
        assertThatThrownBy(() -> IdentifyCodec.decode(new byte[IdentifyCodec.MAX_MESSAGE_SIZE + 1])).isInstanceOf(IdentifyException.class);
        // A length prefix announcing more than 8 KiB is refused before the body is read.
        InputStream huge = new ByteArrayInputStream(Varint.encode(IdentifyCodec.MAX_MESSAGE_SIZE + 1));
        assertThatThrownBy(() -> IdentifyCodec.readDelimited(huge, false)).isInstanceOf(IdentifyException.class).hasMessageContaining("exceeds");

        IdentifyProto.Identify.Builder many = IdentifyProto.Identify.newBuilder().setPublicKey(ByteString.copyFrom(KEY.publicKey().marshal()));
        for (int i = 0; i < 400; i++) many.addProtocols("/p/" + i);
        many.addProtocols("");
        assertThat(IdentifyCodec.decode(many.build().toByteArray()).protocols()).hasSize(IdentifyCodec.MAX_PROTOCOLS);
    }

    @Test
    void readsDelimitedMessagesAndMergesSeveral() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdentifyCodec.writeDelimited(out, sample());
        IdentifyInfo second = new IdentifyInfo(null, null, "", "ggen/0.2.0", List.of(OBSERVED), Optional.empty(), List.of("/ggen/fetch/1.0.0"), Optional.empty());
        IdentifyCodec.writeDelimited(out, second);
        byte[] trailing = {(byte) 0x80}; // a truncated third message: reading stops, keeping the first two
        out.writeBytes(trailing);
        IdentifyInfo merged = IdentifyCodec.readAll(new ByteArrayInputStream(out.toByteArray()), false);
        assertThat(merged.agentVersion()).isEqualTo("ggen/0.2.0");
        assertThat(merged.protocolVersion()).isEqualTo("ggen/1.0.0");
        assertThat(merged.listenAddrs()).containsExactly(IP4_TCP, OBSERVED);
        assertThat(merged.protocols()).containsExactly("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/ggen/fetch/1.0.0");
        assertThat(merged.peerId()).isEqualTo(PeerId.fromPublicKey(KEY.publicKey()));
        assertThat(merged.signedPeerRecord()).isPresent();

        ByteArrayInputStream exact = new ByteArrayInputStream(concat(IdentifyCodec.encodeDelimited(sample()), new byte[] {1, 2}));
        assertThat(IdentifyCodec.readDelimited(exact, false)).isPresent();
        assertThat(exact.readAllBytes()).containsExactly(1, 2);
        assertThat(IdentifyCodec.readDelimited(InputStream.nullInputStream(), false)).isEmpty();
        assertThatThrownBy(() -> IdentifyCodec.readAll(InputStream.nullInputStream(), false)).isInstanceOf(IdentifyException.class);
    }

    @Test
    void randomInputOnlyEverFailsWithIdentifyException() {
        qt().withExamples(3000).forAll(SourceDSL.lists().of(SourceDSL.integers().between(0, 255)).ofSizeBetween(0, 400), SourceDSL.booleans().all())
                .checkAssert((list, push) -> {
                    byte[] b = new byte[list.size()];
                    for (int i = 0; i < b.length; i++) b[i] = (byte) (int) list.get(i);
                    try {
                        IdentifyCodec.decode(b, push);
                    } catch (IdentifyException expected) {
                        // the only failure allowed
                    }
                    try {
                        IdentifyCodec.readAll(new ByteArrayInputStream(b), push);
                    } catch (IdentifyException | java.io.IOException expected) {
                        // the only failures allowed
                    }
                });
    }

    @Test
    void mutatedRealMessagesOnlyEverFailWithIdentifyException() {
        byte[] good = IdentifyCodec.encode(sample());
        qt().withExamples(2000).forAll(SourceDSL.integers().between(0, good.length - 1), SourceDSL.integers().between(1, 255), SourceDSL.integers().between(0, good.length))
                .checkAssert((pos, xor, cut) -> {
                    byte[] bad = java.util.Arrays.copyOf(good, Math.max(cut, pos + 1));
                    bad[pos] ^= (byte) (int) xor;
                    try {
                        IdentifyCodec.decode(bad);
                    } catch (IdentifyException expected) {
                        // the only failure allowed
                    }
                });
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
