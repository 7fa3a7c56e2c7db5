package io.ggen.p2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.p2p.core.IdentifyInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Identify answers and pushes from peers: only {@link IdentifyException} escapes (an
 * {@link IOException} only from the stream itself, which here never fails), what decodes is within
 * the limits, and its re-encoding decodes to the same information.
 */
class IdentifyFuzzTest {

    @FuzzTest
    void message(byte[] input) throws IdentifyException {
        for (boolean push : new boolean[] {false, true}) {
            IdentifyInfo info;
            try {
                info = IdentifyCodec.decode(input, push);
            } catch (IdentifyException refused) {
                continue;
            }
            checkLimits(info);
            byte[] again = IdentifyCodec.encode(info);
            assertThat(IdentifyCodec.encode(IdentifyCodec.decode(again, push))).isEqualTo(again);
        }
    }

    /** The stream form: up to ten length-prefixed messages, merged. */
    @FuzzTest
    void stream(byte[] input) throws IOException {
        try {
            IdentifyInfo merged = IdentifyCodec.readAll(new ByteArrayInputStream(input), false);
            checkLimits(merged);
        } catch (IdentifyException refused) {
            // not even one valid message
        }
    }

    private static void checkLimits(IdentifyInfo info) {
        assertThat(info.listenAddrs()).hasSizeLessThanOrEqualTo(IdentifyCodec.MAX_LISTEN_ADDRS);
        assertThat(info.protocols()).hasSizeLessThanOrEqualTo(IdentifyCodec.MAX_PROTOCOLS)
                .allSatisfy(p -> assertThat(p).isNotEmpty().hasSizeLessThanOrEqualTo(IdentifyCodec.MAX_PROTOCOL_LENGTH));
        assertThat(info.agentVersion()).hasSizeLessThanOrEqualTo(IdentifyCodec.MAX_VERSION_LENGTH);
        assertThat(info.protocolVersion()).hasSizeLessThanOrEqualTo(IdentifyCodec.MAX_VERSION_LENGTH);
    }
}
