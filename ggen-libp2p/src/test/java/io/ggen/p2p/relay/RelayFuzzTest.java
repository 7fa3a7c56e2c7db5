package io.ggen.p2p.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.p2p.relay.RelayMessage.Hop;
import io.ggen.p2p.relay.RelayMessage.PeerInfo;
import io.ggen.p2p.relay.RelayMessage.Stop;

/**
 * Circuit Relay v2 hop and stop messages and reservation vouchers from peers: only
 * {@link RelayProtocolException} escapes, address lists stay within {@link RelayCodec#MAX_ADDRS},
 * re-encoding is stable, and an opened voucher was signed by the relay it names.
 */
class RelayFuzzTest {

    @FuzzTest
    void hop(byte[] input) throws RelayProtocolException {
        Hop m;
        try {
            m = RelayCodec.decodeHop(input);
        } catch (RelayProtocolException refused) {
            return;
        }
        switch (m) {
            case RelayMessage.Reserve r -> { }
            case RelayMessage.Connect c -> checkLimits(c.peer());
            case RelayMessage.HopStatus s -> s.reservation().ifPresent(r -> assertThat(r.addrs()).hasSizeLessThanOrEqualTo(RelayCodec.MAX_ADDRS));
        }
        byte[] again = RelayCodec.encode(m);
        assertThat(RelayCodec.encode(RelayCodec.decodeHop(again))).isEqualTo(again);
    }

    @FuzzTest
    void stop(byte[] input) throws RelayProtocolException {
        Stop m;
        try {
            m = RelayCodec.decodeStop(input);
        } catch (RelayProtocolException refused) {
            return;
        }
        if (m instanceof RelayMessage.StopConnect c) checkLimits(c.peer());
        byte[] again = RelayCodec.encode(m);
        assertThat(RelayCodec.encode(RelayCodec.decodeStop(again))).isEqualTo(again);
    }

    @FuzzTest
    void voucher(byte[] input) {
        try {
            ReservationVoucher v = ReservationVoucher.open(input);
            assertThat(v.relay()).isNotNull();
            assertThat(v.peer()).isNotNull();
        } catch (RelayProtocolException refused) {
            // not a voucher signed by the relay it names
        }
    }

    private static void checkLimits(PeerInfo peer) {
        assertThat(peer.addrs()).hasSizeLessThanOrEqualTo(RelayCodec.MAX_ADDRS);
    }
}
