package io.ggen.p2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.p2p.multistream.MultistreamNegotiator.Failed;
import io.ggen.p2p.multistream.MultistreamNegotiator.NeedMore;
import io.ggen.p2p.multistream.MultistreamNegotiator.Outcome;
import io.ggen.p2p.multistream.MultistreamNegotiator.Selected;
import io.ggen.p2p.multistream.MultistreamNegotiator.Step;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MultistreamNegotiatorTest {
    static final String HEADER = MultistreamCodec.PROTOCOL_ID;

    static byte[] msgs(String... lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String l : lines) MultistreamCodec.encodeTo(l, out);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Runs two negotiators against each other until both end; returns {initiator, responder} outcomes. */
    static Outcome[] pump(MultistreamNegotiator initiator, MultistreamNegotiator responder) {
        byte[] toResponder = initiator.start();
        byte[] toInitiator = responder.start();
        Outcome a = NeedMore.INSTANCE;
        Outcome b = NeedMore.INSTANCE;
        for (int round = 0; round < 1000 && (a instanceof NeedMore || b instanceof NeedMore); round++) {
            if (b instanceof NeedMore && toResponder.length > 0) {
                Step s = responder.feed(toResponder);
                toResponder = new byte[0];
                toInitiator = concat(toInitiator, s.output());
                b = s.outcome();
            }
            if (a instanceof NeedMore && toInitiator.length > 0) {
                Step s = initiator.feed(toInitiator);
                toInitiator = new byte[0];
                toResponder = concat(toResponder, s.output());
                a = s.outcome();
            }
            if (toResponder.length == 0 && toInitiator.length == 0) break;
        }
        return new Outcome[] {a, b};
    }

    @Test
    void initiatorSendsHeaderAndFirstProposalTogether() {
        MultistreamNegotiator i = MultistreamNegotiator.initiator(List.of("/noise", "/tls/1.0.0"));
        assertThat(i.start()).isEqualTo(msgs(HEADER, "/noise"));
    }

    @Test
    void agreesOnTheFirstCommonProtocol() {
        Outcome[] o = pump(MultistreamNegotiator.initiator(List.of("/noise")), MultistreamNegotiator.responder(Set.of("/noise")));
        assertThat(o[0]).isEqualTo(new Selected("/noise", new byte[0]));
        assertThat(o[1]).isEqualTo(new Selected("/noise", new byte[0]));
    }

    @Test
    void fallsBackToTheNextProposalAfterNa() {
        MultistreamNegotiator i = MultistreamNegotiator.initiator(List.of("/yamux/2.0.0", "/yamux/1.0.0"));
        MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/yamux/1.0.0", "/mplex/6.7.0"));
        Outcome[] o = pump(i, r);
        assertThat(o[0]).isEqualTo(new Selected("/yamux/1.0.0", new byte[0]));
        assertThat(o[1]).isEqualTo(new Selected("/yamux/1.0.0", new byte[0]));
    }

    @Test
    void scriptedResponderAnswersNaThenEcho() {
        MultistreamNegotiator i = MultistreamNegotiator.initiator(List.of("/a", "/b"));
        i.start();
        Step s = i.feed(msgs(HEADER, "na"));
        assertThat(s.outcome()).isInstanceOf(NeedMore.class);
        assertThat(s.output()).isEqualTo(msgs("/b"));
        s = i.feed(concat(msgs("/b"), new byte[] {1, 2, 3}));
        assertThat(s.outcome()).isEqualTo(new Selected("/b", new byte[] {1, 2, 3}));
        assertThat(s.output()).isEmpty();
        assertThatThrownBy(() -> i.feed(new byte[1])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failsWhenNoProtocolIsCommon() {
        Outcome[] o = pump(MultistreamNegotiator.initiator(List.of("/a", "/b")), MultistreamNegotiator.responder(Set.of("/c")));
        assertThat(o[0]).isInstanceOf(Failed.class);
        assertThat(((Failed) o[0]).reason()).contains("none of");
        assertThat(o[1]).isInstanceOf(NeedMore.class); // the responder just waits; the initiator closes
    }

    @Test
    void responderAnswersPipelinedHeaderAndProposalInOneOutputAndKeepsTheData() {
        MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/ipfs/ping/1.0.0"));
        r.start();
        byte[] data = "ping payload".getBytes(StandardCharsets.UTF_8);
        Step s = r.feed(concat(msgs(HEADER, "/ipfs/ping/1.0.0"), data));
        assertThat(s.output()).isEqualTo(msgs(HEADER, "/ipfs/ping/1.0.0"));
        assertThat(s.outcome()).isEqualTo(new Selected("/ipfs/ping/1.0.0", data));
    }

    @Test
    void responderHandlesByteByByteInput() {
        MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/x"));
        byte[] in = msgs(HEADER, "/nope", "/x");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outcome last = null;
        for (int k = 0; k < in.length; k++) {
            Step s = r.feed(new byte[] {in[k]});
            out.writeBytes(s.output());
            last = s.outcome();
            if (k < in.length - 1) assertThat(last).isInstanceOf(NeedMore.class);
        }
        assertThat(last).isEqualTo(new Selected("/x", new byte[0]));
        assertThat(out.toByteArray()).isEqualTo(msgs(HEADER, "na", "/x"));
    }

    @Test
    void responderListsItsProtocolsOnLs() {
        MultistreamNegotiator r = MultistreamNegotiator.responder(List.of("/a/1", "/b/2"));
        Step s = r.feed(msgs(HEADER, "ls"));
        assertThat(s.outcome()).isInstanceOf(NeedMore.class);
        assertThat(s.output()).isEqualTo(concat(msgs(HEADER), MultistreamCodec.encodeListResponse(List.of("/a/1", "/b/2"))));
        s = r.feed(msgs(HEADER, "/b/2"));
        assertThat(s.output()).isEqualTo(msgs(HEADER, "/b/2"));
        assertThat(s.outcome()).isEqualTo(new Selected("/b/2", new byte[0]));
    }

    @Test
    void predicateResponderOnlySeesValidIds() {
        MultistreamNegotiator r = MultistreamNegotiator.responder(
                p -> p.startsWith("/ggen/"), List.of("/ggen/fetch/1.0.0"), MultistreamConfig.DEFAULT);
        Step s = r.feed(msgs(HEADER, "ggen/x", "/ggen/search/1.0.0"));
        assertThat(s.output()).isEqualTo(msgs(HEADER, "na", "/ggen/search/1.0.0"));
        assertThat(s.outcome()).isEqualTo(new Selected("/ggen/search/1.0.0", new byte[0]));
    }

    @Test
    void responderGivesUpAfterTooManyProposals() {
        MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/x"), MultistreamConfig.DEFAULT.withMaxAttempts(3));
        Step s = r.feed(msgs(HEADER, "/a", "/b", "/c", "/x"));
        assertThat(s.outcome()).isInstanceOf(Failed.class);
        assertThat(s.output()).isEqualTo(msgs(HEADER, "na", "na", "na"));
    }

    @Test
    void initiatorRefusesTooManyOrInvalidProposals() {
        MultistreamConfig cfg = MultistreamConfig.DEFAULT.withMaxAttempts(2);
        assertThatThrownBy(() -> MultistreamNegotiator.initiator(List.of("/a", "/b", "/c"), cfg)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultistreamNegotiator.initiator(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultistreamNegotiator.initiator(List.of("noslash"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultistreamNegotiator.responder(Set.of("/a\tb"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void initiatorFailsOnAWrongHeaderOrAnUnexpectedAnswer() {
        MultistreamNegotiator i = MultistreamNegotiator.initiator(List.of("/a"));
        i.start();
        assertThat(i.feed(msgs("/multistream/2.0.0")).outcome()).isInstanceOf(Failed.class);
        MultistreamNegotiator j = MultistreamNegotiator.initiator(List.of("/a"));
        j.start();
        assertThat(j.feed(msgs(HEADER, "/b")).outcome()).isInstanceOf(Failed.class);
    }

    @Test
    void responderFailsWithoutHeaderOrOnOversizedMessage() {
        assertThat(MultistreamNegotiator.responder(Set.of("/a")).feed(msgs("/a")).outcome()).isInstanceOf(Failed.class);
        MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/a"));
        // The length prefix alone announces 2000 bytes: refused before they arrive.
        assertThat(r.feed(ByteBuffer.wrap(new byte[] {(byte) 0xd0, 0x0f})).outcome()).isInstanceOf(Failed.class);
    }

    @Test
    void repeatedHeaderIsAnswered() {
        MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/a"));
        Step s = r.feed(msgs(HEADER, HEADER, "/a"));
        assertThat(s.output()).isEqualTo(msgs(HEADER, HEADER, "/a"));
        assertThat(s.outcome()).isInstanceOf(Selected.class);
    }

    @Test
    void initiatorFeedWithoutStartPrependsTheFirstMessages() {
        MultistreamNegotiator i = MultistreamNegotiator.initiator(List.of("/a"));
        Step s = i.feed(msgs(HEADER));
        assertThat(s.output()).isEqualTo(msgs(HEADER, "/a"));
    }
}
