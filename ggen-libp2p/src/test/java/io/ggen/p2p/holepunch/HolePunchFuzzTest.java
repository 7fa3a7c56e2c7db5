package io.ggen.p2p.holepunch;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * DCUtR messages from peers: only {@link HolePunchException} escapes, a CONNECT keeps at most
 * {@link HolePunchCodec#MAX_ADDRS} addresses, and re-encoding is stable.
 */
class HolePunchFuzzTest {

    @FuzzTest
    void message(byte[] input) throws HolePunchException {
        HolePunchMessage m;
        try {
            m = HolePunchCodec.decode(input);
        } catch (HolePunchException refused) {
            return;
        }
        if (m instanceof HolePunchMessage.Connect c) assertThat(c.addrs()).hasSizeLessThanOrEqualTo(HolePunchCodec.MAX_ADDRS);
        byte[] again = HolePunchCodec.encode(m);
        assertThat(HolePunchCodec.decode(again)).isEqualTo(m);
        assertThat(HolePunchCodec.encode(HolePunchCodec.decode(again))).isEqualTo(again);
    }
}
