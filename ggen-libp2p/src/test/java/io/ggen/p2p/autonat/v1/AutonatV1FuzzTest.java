package io.ggen.p2p.autonat.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * AutoNAT v1 messages from peers: only {@link AutonatV1Exception} escapes, what decodes is within
 * the limits, and its re-encoding decodes to a message that encodes to the same bytes.
 */
class AutonatV1FuzzTest {

    @FuzzTest
    void message(byte[] input) throws AutonatV1Exception {
        AutonatV1Message m;
        try {
            m = AutonatV1Codec.decode(input);
        } catch (AutonatV1Exception refused) {
            return;
        }
        switch (m) {
            case AutonatV1Message.Dial d -> assertThat(d.addrs()).hasSizeLessThanOrEqualTo(AutonatV1Codec.MAX_ADDRS);
            case AutonatV1Message.DialResponse r -> assertThat(r.statusText()).hasSizeLessThanOrEqualTo(AutonatV1Codec.MAX_STATUS_TEXT);
        }
        byte[] again = AutonatV1Codec.encode(m);
        assertThat(AutonatV1Codec.encode(AutonatV1Codec.decode(again))).isEqualTo(again);
    }
}
