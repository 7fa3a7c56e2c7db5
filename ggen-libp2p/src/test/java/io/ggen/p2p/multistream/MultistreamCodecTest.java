package io.ggen.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultistreamCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesTheSpecExamples() {
        assertThat(HEX.formatHex(MultistreamCodec.encode("na"))).isEqualTo("036e610a");
        assertThat(HEX.formatHex(MultistreamCodec.encode("ls"))).isEqualTo("036c730a");
        byte[] header = MultistreamCodec.encode(MultistreamCodec.PROTOCOL_ID);
        assertThat(header[0]).isEqualTo((byte) 19);
        assertThat(new String(header, 1, 19, StandardCharsets.US_ASCII)).isEqualTo("/multistream/1.0.0\n");
    }

    @Test
    void usesAMultiByteLengthPrefixForLongMessages() {
        String id = "/" + "a".repeat(200);
        byte[] enc = MultistreamCodec.encode(id);
        assertThat(enc.length).isEqualTo(2 + 202);
        assertThat(HEX.formatHex(enc, 0, 2)).isEqualTo("ca01");
    }

    @Test
    void decodesOnlyCompleteMessages() throws Exception {
        byte[] enc = MultistreamCodec.encode("/ipfs/id/1.0.0");
        for (int n = 0; n < enc.length; n++) {
            assertThat(MultistreamCodec.tryDecode(enc, 0, n, 1024)).isNull();
        }
        assertThat(MultistreamCodec.tryDecode(enc, 0, enc.length, 1024))
                .isEqualTo(new MultistreamCodec.Frame("/ipfs/id/1.0.0", enc.length));
    }

    @Test
    void rejectsAnOversizedLengthBeforeTheBodyArrives() {
        byte[] prefixOnly = HEX.parseHex("8108"); // 1025
        assertThatThrownBy(() -> MultistreamCodec.tryDecode(prefixOnly, 0, 2, 1024))
                .isInstanceOf(ProtocolNegotiationException.class).hasMessageContaining("exceeds");
        byte[] huge = HEX.parseHex("ffffffffffffffff7f");
        assertThatThrownBy(() -> MultistreamCodec.tryDecode(huge, 0, huge.length, 1024))
                .isInstanceOf(ProtocolNegotiationException.class);
    }

    @Test
    void rejectsMalformedBodies() {
        assertThatThrownBy(() -> MultistreamCodec.tryDecode(HEX.parseHex("00"), 0, 1, 1024))
                .isInstanceOf(ProtocolNegotiationException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> MultistreamCodec.tryDecode(HEX.parseHex("026e61"), 0, 3, 1024))
                .hasMessageContaining("newline");
        assertThatThrownBy(() -> MultistreamCodec.tryDecode(HEX.parseHex("036e0a0a"), 0, 4, 1024))
                .hasMessageContaining("control");
        assertThatThrownBy(() -> MultistreamCodec.tryDecode(HEX.parseHex("03ff610a"), 0, 4, 1024))
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> MultistreamCodec.tryDecode(HEX.parseHex("80000a"), 0, 3, 1024))
                .hasMessageContaining("minimal");
    }

    @Test
    void listResponseNestsOneMessagePerProtocolAndEndsWithANewline() throws Exception {
        byte[] enc = MultistreamCodec.encodeListResponse(List.of("/a", "/bc"));
        // body: 03 "/a\n" 04 "/bc\n" "\n" = 4 + 5 + 1 = 10 bytes
        assertThat(HEX.formatHex(enc)).isEqualTo("0a" + "032f610a" + "042f62630a" + "0a");
        byte[] body = java.util.Arrays.copyOfRange(enc, 1, enc.length);
        assertThat(MultistreamCodec.decodeListBody(body, 1024)).containsExactly("/a", "/bc");
        assertThat(HEX.formatHex(MultistreamCodec.encodeListResponse(List.of()))).isEqualTo("010a");
        assertThat(MultistreamCodec.decodeListBody(new byte[] {'\n'}, 1024)).isEmpty();
        assertThatThrownBy(() -> MultistreamCodec.decodeListBody(HEX.parseHex("052f610a0a"), 1024))
                .isInstanceOf(ProtocolNegotiationException.class);
    }

    @Test
    void validatesProtocolIds() {
        assertThat(MultistreamCodec.isValidProtocolId("/noise")).isTrue();
        assertThat(MultistreamCodec.isValidProtocolId("/ggen/fetch/1.0.0")).isTrue();
        assertThat(MultistreamCodec.isValidProtocolId("/ünï/1")).isTrue();
        assertThat(MultistreamCodec.isValidProtocolId("")).isFalse();
        assertThat(MultistreamCodec.isValidProtocolId("noise")).isFalse();
        assertThat(MultistreamCodec.isValidProtocolId("/a b")).isFalse();
        assertThat(MultistreamCodec.isValidProtocolId("/a\n")).isFalse();
        assertThat(MultistreamCodec.isValidProtocolId("/a\u0000")).isFalse();
        assertThat(MultistreamCodec.isValidProtocolId(null)).isFalse();
        assertThatThrownBy(() -> MultistreamCodec.checkProtocolId("/" + "x".repeat(1023), 1024))
                .isInstanceOf(IllegalArgumentException.class);
        MultistreamCodec.checkProtocolId("/" + "x".repeat(1022), 1024);
    }
}
