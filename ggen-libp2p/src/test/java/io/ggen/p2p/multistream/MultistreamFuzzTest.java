package io.ggen.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * multistream-select with a hostile peer, both roles. The first input byte cuts the rest into
 * chunks (the peer's writes); the contract: {@code feed} never throws, the outcome and every byte
 * sent are the same however the input is chunked, what is sent is well-formed multistream, a
 * selected protocol is one of ours, and leftover bytes are exactly what followed the deciding
 * message.
 */
class MultistreamFuzzTest {
    private static final List<String> OURS = List.of("/noise", "/yamux/1.0.0", "/ipfs/id/1.0.0");

    @FuzzTest
    void responder(byte[] input) {
        run(input, false);
    }

    @FuzzTest
    void initiator(byte[] input) {
        run(input, true);
    }

    private static void run(byte[] input, boolean initiator) {
        if (input.length == 0) return;
        int chunk = (input[0] & 0x3f) + 1;
        byte[] peer = Arrays.copyOfRange(input, 1, input.length);
        Result whole = negotiate(initiator, peer, peer.length == 0 ? 1 : peer.length);
        Result chunked = negotiate(initiator, peer, chunk);
        assertThat(chunked.sent()).isEqualTo(whole.sent());
        assertThat(chunked.outcome()).isEqualTo(whole.outcome());
        // What we send is a sequence of length-prefixed messages, each ending in a newline.
        int off = 0;
        byte[] sent = whole.sent();
        while (off < sent.length) {
            long token = io.ggen.p2p.multiformats.Varint.peek(sent, off, sent.length - off, MultistreamConfig.DEFAULT_MAX_LIST_RESPONSE_LENGTH);
            assertThat(token).as("a complete length prefix at offset %d", off).isPositive();
            int end = off + io.ggen.p2p.multiformats.Varint.encodedLength(token) + (int) token;
            assertThat(end).isLessThanOrEqualTo(sent.length);
            assertThat(sent[end - 1]).isEqualTo((byte) '\n');
            off = end;
        }
        if (whole.outcome() instanceof MultistreamNegotiator.Selected s) {
            assertThat(OURS).contains(s.protocol());
            assertThat(peer).endsWith(s.leftover());
        }
    }

    private record Result(byte[] sent, MultistreamNegotiator.Outcome outcome) {}

    private static Result negotiate(boolean initiator, byte[] peer, int chunk) {
        MultistreamNegotiator n = initiator ? MultistreamNegotiator.initiator(OURS) : MultistreamNegotiator.responder(OURS);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        sent.writeBytes(n.start());
        MultistreamNegotiator.Outcome outcome = new MultistreamNegotiator.NeedMore();
        ByteArrayOutputStream leftover = new ByteArrayOutputStream();
        for (int off = 0; off < peer.length; off += chunk) {
            int len = Math.min(chunk, peer.length - off);
            if (n.isDone()) {
                // bytes after the decision belong to the selected protocol
                leftover.write(peer, off, len);
                continue;
            }
            MultistreamNegotiator.Step step = n.feed(peer, off, len);
            sent.writeBytes(step.output());
            outcome = step.outcome();
            if (outcome instanceof MultistreamNegotiator.Selected s) leftover.writeBytes(s.leftover());
        }
        if (outcome instanceof MultistreamNegotiator.Selected s) outcome = new MultistreamNegotiator.Selected(s.protocol(), leftover.toByteArray());
        if (!(outcome instanceof MultistreamNegotiator.Selected || outcome instanceof MultistreamNegotiator.Failed)) outcome = new MultistreamNegotiator.NeedMore();
        return new Result(sent.toByteArray(), outcome);
    }
}
