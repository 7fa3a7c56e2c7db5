package io.ggen.p2p.autonat.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.protobuf.ByteString;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialBack;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialBackResponse;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialDataRequest;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialDataResponse;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialRequest;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialResponse;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialStatus;
import io.ggen.p2p.autonat.v2.AutonatV2Message.ResponseStatus;
import io.ggen.p2p.autonat.v2.pb.AutonatV2Proto;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multiformats.TestGens;
import io.ggen.p2p.multiformats.Varint;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class AutonatV2CodecTest {

    private static Gen<Multiaddr> addrs() {
        return TestGens.bytes(4, 4).zip(integers().between(0, 65535), (ip, port) -> {
            try {
                return Multiaddr.tcp(InetAddress.getByAddress(ip), port);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Gen<AutonatV2Message> messages() {
        Gen<AutonatV2Message> req = integers().between(0, 12).zip(addrs(), longs().all(),
                (n, a, nonce) -> new DialRequest(java.util.Collections.nCopies(n, a), nonce));
        Gen<AutonatV2Message> resp = Generate.enumValues(ResponseStatus.class).zip(integers().between(0, Integer.MAX_VALUE),
                Generate.enumValues(DialStatus.class), (s, i, d) -> new DialResponse(s, i, d));
        Gen<AutonatV2Message> dataReq = integers().between(0, Integer.MAX_VALUE).zip(longs().between(0, Long.MAX_VALUE),
                (i, n) -> new DialDataRequest(i, n));
        Gen<AutonatV2Message> dataResp = TestGens.bytes(AutonatV2Codec.MAX_DIAL_DATA_CHUNK).map(DialDataResponse::new);
        return req.mix(resp).mix(dataReq).mix(dataResp);
    }

    @Test
    void everyMessageSurvivesARoundTrip() {
        qt().forAll(messages()).checkAssert(m -> {
            try {
                byte[] framed = LengthPrefixed.frame(AutonatV2Codec.encode(m));
                assertThat(AutonatV2Codec.read(new ByteArrayInputStream(framed))).isEqualTo(m);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        qt().forAll(longs().all()).checkAssert(nonce -> {
            try {
                assertThat(AutonatV2Codec.decodeDialBack(AutonatV2Codec.encode(new DialBack(nonce)))).isEqualTo(new DialBack(nonce));
            } catch (AutonatV2Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void hostileBytesAreRefusedWithOneExceptionOnly() {
        byte[] valid = AutonatV2Codec.encode(new DialRequest(List.of(Multiaddr.fromString("/ip4/1.2.3.4/tcp/4001")), 7));
        qt().forAll(TestGens.mutations(valid).mix(TestGens.bytes(512))).checkAssert(b -> {
            decodesOrRejects(() -> AutonatV2Codec.decode(b));
            decodesOrRejects(() -> AutonatV2Codec.decodeDialBack(b));
            decodesOrRejects(() -> AutonatV2Codec.decodeDialBackResponse(b));
            decodesOrRejects(() -> AutonatV2Codec.read(new ByteArrayInputStream(b)));
        });
    }

    private interface Decoder {
        Object decode() throws Exception;
    }

    private static void decodesOrRejects(Decoder d) {
        try {
            d.decode();
        } catch (AutonatV2Exception | java.io.IOException expected) {
            // refused as it should be
        } catch (Exception e) {
            throw new AssertionError("decoder leaked " + e, e);
        }
    }

    @Test
    void limitsAreCheckedBeforeAllocation() {
        byte[] hugeLength = Varint.encode(Integer.MAX_VALUE);
        assertThatThrownBy(() -> AutonatV2Codec.read(new ByteArrayInputStream(hugeLength)))
                .isInstanceOf(LengthPrefixed.FrameException.class).hasMessageContaining("exceeds the limit");

        AutonatV2Proto.DialRequest.Builder many = AutonatV2Proto.DialRequest.newBuilder();
        for (int i = 0; i <= AutonatV2Codec.MAX_ADDRS; i++) many.addAddrs(ByteString.copyFrom(Multiaddr.fromString("/ip4/1.2.3.4/tcp/1").toBytes()));
        byte[] tooMany = AutonatV2Proto.Message.newBuilder().setDialRequest(many).build().toByteArray();
        assertThatThrownBy(() -> AutonatV2Codec.decode(tooMany)).isInstanceOf(AutonatV2Exception.class).hasMessageContaining("more than");

        byte[] bigPart = AutonatV2Proto.Message.newBuilder().setDialDataResponse(AutonatV2Proto.DialDataResponse.newBuilder()
                .setData(ByteString.copyFrom(new byte[AutonatV2Codec.MAX_DIAL_DATA_CHUNK + 1]))).build().toByteArray();
        assertThatThrownBy(() -> AutonatV2Codec.decode(bigPart)).isInstanceOf(AutonatV2Exception.class).hasMessageContaining("exceeds");
    }

    @Test
    void statusesWeDoNotKnowAreRefused() {
        byte[] unknown = AutonatV2Proto.Message.newBuilder().setDialResponse(AutonatV2Proto.DialResponse.newBuilder()
                .setStatusValue(201).setDialStatusValue(200)).build().toByteArray();
        assertThatThrownBy(() -> AutonatV2Codec.decode(unknown)).isInstanceOf(AutonatV2Exception.class).hasMessageContaining("unknown response status");
        byte[] unknownDial = AutonatV2Proto.Message.newBuilder().setDialResponse(AutonatV2Proto.DialResponse.newBuilder()
                .setStatusValue(200).setDialStatusValue(150)).build().toByteArray();
        assertThatThrownBy(() -> AutonatV2Codec.decode(unknownDial)).isInstanceOf(AutonatV2Exception.class).hasMessageContaining("unknown dial status");
        byte[] badBack = AutonatV2Proto.DialBackResponse.newBuilder().setStatusValue(3).build().toByteArray();
        assertThatThrownBy(() -> AutonatV2Codec.decodeDialBackResponse(badBack)).isInstanceOf(AutonatV2Exception.class);
        assertThatThrownBy(() -> AutonatV2Codec.decode(new byte[0])).isInstanceOf(AutonatV2Exception.class).hasMessageContaining("none of the known");
    }

    @Test
    void aRequestWithAnAddressThatDoesNotParseIsRefusedWhole() {
        byte[] bad = AutonatV2Proto.Message.newBuilder().setDialRequest(AutonatV2Proto.DialRequest.newBuilder()
                .addAddrs(ByteString.copyFrom(Multiaddr.fromString("/ip4/1.2.3.4/tcp/1").toBytes()))
                .addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}))).build().toByteArray();
        assertThatThrownBy(() -> AutonatV2Codec.decode(bad)).isInstanceOf(AutonatV2Exception.class).hasMessageContaining("address 1");
    }

    @Test
    void encodingMatchesTheSpecFieldNumbers() throws Exception {
        // DialBack{nonce=1}: field 1, wire type fixed64 (tag 0x09), little-endian
        assertThat(AutonatV2Codec.encode(new DialBack(1))).containsExactly(0x09, 1, 0, 0, 0, 0, 0, 0, 0);
        // Message{dialResponse{status=OK(200), addrIdx=0, dialStatus=OK(200)}}
        byte[] r = AutonatV2Codec.encode(new DialResponse(ResponseStatus.OK, 0, DialStatus.OK));
        assertThat(r[0]).isEqualTo((byte) 0x12);
        List<Integer> inner = new ArrayList<>();
        for (int i = 2; i < r.length; i++) inner.add(r[i] & 0xff);
        assertThat(inner).containsExactly(0x08, 0xc8, 0x01, 0x18, 0xc8, 0x01);
        assertThat(AutonatV2Codec.decodeDialBackResponse(AutonatV2Codec.encode(new DialBackResponse()))).isEqualTo(new DialBackResponse());
    }
}
