package io.ggen.p2p.autonat.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.google.protobuf.ByteString;
import io.ggen.p2p.autonat.v1.AutonatV1Message.Dial;
import io.ggen.p2p.autonat.v1.AutonatV1Message.DialResponse;
import io.ggen.p2p.autonat.v1.AutonatV1Message.ResponseStatus;
import io.ggen.p2p.autonat.v1.pb.AutonatV1Proto;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multiformats.TestGens;
import io.ggen.p2p.multiformats.Varint;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class AutonatV1CodecTest {
    private static final PeerId PEER = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

    private static Gen<Multiaddr> addrs() {
        return TestGens.bytes(4, 4).zip(integers().between(0, 65535), (ip, port) -> {
            try {
                return Multiaddr.tcp(InetAddress.getByAddress(ip), port);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Gen<AutonatV1Message> messages() {
        Gen<AutonatV1Message> dial = integers().between(0, 40).zip(addrs(), (n, a) -> new Dial(PEER, Collections.nCopies(n, a)));
        Gen<AutonatV1Message> resp = Generate.enumValues(ResponseStatus.class).zip(TestGens.asciiStrings(300), addrs(),
                (s, t, a) -> new DialResponse(s, t, s == ResponseStatus.OK ? Optional.of(a) : Optional.empty()));
        return dial.mix(resp);
    }

    @Test
    void everyMessageSurvivesARoundTrip() {
        qt().forAll(messages()).checkAssert(m -> {
            try {
                assertThat(AutonatV1Codec.read(new ByteArrayInputStream(LengthPrefixed.frame(AutonatV1Codec.encode(m))))).isEqualTo(m);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void hostileBytesAreRefusedWithOneExceptionOnly() {
        byte[] valid = AutonatV1Codec.encode(new Dial(PEER, List.of(Multiaddr.fromString("/ip4/1.2.3.4/tcp/4001"))));
        qt().forAll(TestGens.mutations(valid).mix(TestGens.bytes(512))).checkAssert(b -> {
            try {
                AutonatV1Codec.decode(b);
                AutonatV1Codec.read(new ByteArrayInputStream(b));
            } catch (AutonatV1Exception | java.io.IOException expected) {
                // refused as it should be
            } catch (Exception e) {
                throw new AssertionError("decoder leaked " + e, e);
            }
        });
    }

    @Test
    void limits() {
        assertThatThrownBy(() -> AutonatV1Codec.read(new ByteArrayInputStream(Varint.encode(1 << 20))))
                .isInstanceOf(LengthPrefixed.FrameException.class);
        AutonatV1Proto.Message.PeerInfo.Builder p = AutonatV1Proto.Message.PeerInfo.newBuilder().setId(ByteString.copyFrom(PEER.toBytes()));
        for (int i = 0; i <= AutonatV1Codec.MAX_ADDRS; i++) p.addAddrs(ByteString.copyFrom(new byte[] {4, 1, 2, 3, 4}));
        byte[] many = AutonatV1Proto.Message.newBuilder().setType(AutonatV1Proto.Message.MessageType.DIAL)
                .setDial(AutonatV1Proto.Message.Dial.newBuilder().setPeer(p)).build().toByteArray();
        assertThatThrownBy(() -> AutonatV1Codec.decode(many)).isInstanceOf(AutonatV1Exception.class).hasMessageContaining("more than");
        byte[] noType = AutonatV1Proto.Message.newBuilder().build().toByteArray();
        assertThatThrownBy(() -> AutonatV1Codec.decode(noType)).isInstanceOf(AutonatV1Exception.class).hasMessageContaining("without a type");
        byte[] badId = AutonatV1Proto.Message.newBuilder().setType(AutonatV1Proto.Message.MessageType.DIAL)
                .setDial(AutonatV1Proto.Message.Dial.newBuilder().setPeer(AutonatV1Proto.Message.PeerInfo.newBuilder()
                        .setId(ByteString.copyFromUtf8("nope")))).build().toByteArray();
        assertThatThrownBy(() -> AutonatV1Codec.decode(badId)).isInstanceOf(AutonatV1Exception.class).hasMessageContaining("peer id");
    }

    @Test
    void addressesThatDoNotParseAreDropped() throws Exception {
        AutonatV1Proto.Message.PeerInfo p = AutonatV1Proto.Message.PeerInfo.newBuilder().setId(ByteString.copyFrom(PEER.toBytes()))
                .addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x7f}))
                .addAddrs(ByteString.copyFrom(Multiaddr.fromString("/ip4/1.2.3.4/tcp/5").toBytes())).build();
        byte[] b = AutonatV1Proto.Message.newBuilder().setType(AutonatV1Proto.Message.MessageType.DIAL)
                .setDial(AutonatV1Proto.Message.Dial.newBuilder().setPeer(p)).build().toByteArray();
        assertThat(AutonatV1Codec.decode(b)).isEqualTo(new Dial(PEER, List.of(Multiaddr.fromString("/ip4/1.2.3.4/tcp/5"))));
    }
}
