package io.ggen.p2p.autonat.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * AutoNAT v2 messages from peers, on the dial-request stream and the dial-back stream: only
 * {@link AutonatV2Exception} escapes, what decodes is within the limits, and its re-encoding
 * decodes to a message that encodes to the same bytes.
 */
class AutonatV2FuzzTest {

    @FuzzTest
    void message(byte[] input) throws AutonatV2Exception {
        AutonatV2Message m;
        try {
            m = AutonatV2Codec.decode(input);
        } catch (AutonatV2Exception refused) {
            return;
        }
        if (m instanceof AutonatV2Message.DialRequest r) assertThat(r.addrs()).hasSizeLessThanOrEqualTo(AutonatV2Codec.MAX_ADDRS);
        if (m instanceof AutonatV2Message.DialDataResponse d) assertThat(d.data().length).isLessThanOrEqualTo(AutonatV2Codec.MAX_DIAL_DATA_CHUNK);
        byte[] again = AutonatV2Codec.encode(m);
        assertThat(AutonatV2Codec.encode(AutonatV2Codec.decode(again))).isEqualTo(again);
    }

    @FuzzTest
    void dialBack(byte[] input) throws AutonatV2Exception {
        try {
            AutonatV2Message.DialBack back = AutonatV2Codec.decodeDialBack(input);
            assertThat(AutonatV2Codec.decodeDialBack(AutonatV2Codec.encode(back))).isEqualTo(back);
        } catch (AutonatV2Exception refused) {
            // not a dial-back
        }
        try {
            AutonatV2Message.DialBackResponse answer = AutonatV2Codec.decodeDialBackResponse(input);
            assertThat(AutonatV2Codec.decodeDialBackResponse(AutonatV2Codec.encode(answer))).isEqualTo(answer);
        } catch (AutonatV2Exception refused) {
            // not a dial-back response
        }
    }
}
