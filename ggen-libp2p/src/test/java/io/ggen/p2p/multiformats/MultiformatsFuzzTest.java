package io.ggen.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the multiformats decoders (Jazzer; regression mode over the committed
 * inputs in {@code MultiformatsFuzzTestInputs/}, fuzzing with {@code scripts/fuzz}). The contract:
 * only {@link MultiformatException} escapes, and what decodes re-encodes to the same bytes or
 * text, since every decoder here is strict (one encoding per value).
 */
class MultiformatsFuzzTest {

    @FuzzTest
    void varint(byte[] input) {
        try {
            long v = Varint.decode(input);
            assertThat(v).isNotNegative();
            assertThat(Varint.encode(v)).isEqualTo(input);
        } catch (MultiformatException refused) {
            // the documented refusal
        }
        // The framing form agrees with the strict one on every prefix it can decide.
        try {
            long token = Varint.peek(input, 0, input.length, Long.MAX_VALUE);
            if (token >= 0) assertThat(Varint.read(java.nio.ByteBuffer.wrap(input))).isEqualTo(token);
        } catch (MultiformatException refused) {
            // malformed: refused by both
        }
    }

    @FuzzTest
    void multibase(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Multibase.Decoded d = Multibase.decodeWithEncoding(text);
            assertThat(Multibase.encode(d.encoding(), d.data()))
                    .as("strict decoding: the text is the one encoding of its bytes in its base")
                    .isEqualTo(caseOf(d.encoding(), text));
        } catch (MultiformatException refused) {
            // the documented refusal
        }
    }

    /** The case-insensitive bases accept mixed case; their canonical text is the base's own case. */
    private static String caseOf(Multibase.Encoding e, String text) {
        return switch (e) {
            case BASE32, BASE36, BASE16 -> text.substring(0, 1) + text.substring(1).toLowerCase(java.util.Locale.ROOT);
            case BASE32_UPPER, BASE36_UPPER, BASE16_UPPER -> text.substring(0, 1) + text.substring(1).toUpperCase(java.util.Locale.ROOT);
            default -> text;
        };
    }

    @FuzzTest
    void multihash(byte[] input) {
        try {
            Multihash mh = Multihash.fromBytes(input);
            assertThat(mh.digestLength()).isLessThanOrEqualTo(Multihash.MAX_DIGEST_LENGTH);
            assertThat(mh.toBytes()).isEqualTo(input);
        } catch (MultiformatException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void cid(byte[] input) {
        try {
            Cid cid = Cid.fromBytes(input);
            assertThat(cid.toBytes()).isEqualTo(input);
            assertThat(Cid.fromString(cid.toString())).isEqualTo(cid);
        } catch (MultiformatException refused) {
            // the documented refusal
        }
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Cid cid = Cid.parseContentId(text);
            assertThat(Cid.fromString(cid.toString())).isEqualTo(cid);
            assertThat(Cid.fromBytes(cid.toBytes())).isEqualTo(cid);
        } catch (MultiformatException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void base58(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            byte[] data = Base58.decode(text);
            assertThat(Base58.encode(data)).isEqualTo(text);
        } catch (MultiformatException refused) {
            // the documented refusal
        }
    }
}
