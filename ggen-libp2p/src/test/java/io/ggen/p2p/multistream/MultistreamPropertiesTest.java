package io.ggen.p2p.multistream;

import static io.ggen.p2p.multistream.MultistreamNegotiatorTest.concat;
import static io.ggen.p2p.multistream.MultistreamNegotiatorTest.msgs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.ggen.p2p.multistream.MultistreamNegotiator.Failed;
import io.ggen.p2p.multistream.MultistreamNegotiator.NeedMore;
import io.ggen.p2p.multistream.MultistreamNegotiator.Outcome;
import io.ggen.p2p.multistream.MultistreamNegotiator.Selected;
import io.ggen.p2p.multistream.MultistreamNegotiator.Step;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/** Random, truncated and oversized input only ever ends in a clean outcome. */
class MultistreamPropertiesTest {
    static final String HEADER = MultistreamCodec.PROTOCOL_ID;

    static Gen<byte[]> bytes(int maxLength) {
        return SourceDSL.lists().of(SourceDSL.integers().between(0, 255)).ofSizeBetween(0, maxLength)
                .map(l -> {
                    byte[] b = new byte[l.size()];
                    for (int i = 0; i < b.length; i++) b[i] = (byte) (int) l.get(i);
                    return b;
                });
    }

    /** Random bytes that often start like a real negotiation, so the deeper states get explored. */
    static Gen<byte[]> noisyTranscript() {
        byte[] prefix = msgs(HEADER);
        return bytes(300).zip(SourceDSL.booleans().all(), (b, withHeader) -> withHeader ? concat(prefix, b) : b);
    }

    static Outcome feedInChunks(MultistreamNegotiator n, byte[] input, int chunk) {
        Outcome last = NeedMore.INSTANCE;
        for (int off = 0; off < input.length && last instanceof NeedMore; off += chunk) {
            Step s = n.feed(input, off, Math.min(chunk, input.length - off));
            assertThat(s.output()).isNotNull();
            last = s.outcome();
        }
        return last;
    }

    @Test
    void responderNeverThrowsOnRandomInput() {
        qt().withExamples(3000).forAll(noisyTranscript(), SourceDSL.integers().between(1, 40)).checkAssert((input, chunk) -> {
            Outcome o = feedInChunks(MultistreamNegotiator.responder(Set.of("/a", "/b/1.0.0")), input, chunk);
            assertThat(o).isInstanceOfAny(Selected.class, Failed.class, NeedMore.class);
        });
    }

    @Test
    void initiatorNeverThrowsOnRandomInput() {
        qt().withExamples(3000).forAll(noisyTranscript(), SourceDSL.integers().between(1, 40)).checkAssert((input, chunk) -> {
            MultistreamNegotiator n = MultistreamNegotiator.initiator(List.of("/a", "/b/1.0.0"));
            n.start();
            Outcome o = feedInChunks(n, input, chunk);
            assertThat(o).isInstanceOfAny(Selected.class, Failed.class, NeedMore.class);
        });
    }

    @Test
    void blockingHelpersFailCleanlyOnRandomInput() {
        qt().withExamples(1000).forAll(noisyTranscript()).checkAssert(input -> {
            for (boolean initiator : new boolean[] {true, false}) {
                ByteArrayInputStream in = new ByteArrayInputStream(input);
                try {
                    if (initiator) Multistream.select(in, new ByteArrayOutputStream(), List.of("/a"));
                    else Multistream.respond(in, new ByteArrayOutputStream(), Set.of("/a"));
                } catch (ProtocolNegotiationException expected) {
                    // the only failure allowed
                } catch (Exception e) {
                    throw new AssertionError("unexpected " + e, e);
                }
            }
        });
    }

    @Test
    void anySplitOfAValidTranscriptGivesTheSameResultAndLeftover() {
        Gen<byte[]> data = bytes(50);
        qt().withExamples(2000).forAll(data, SourceDSL.integers().between(0, 5), SourceDSL.integers().between(1, 64))
                .checkAssert((payload, rejected, chunk) -> {
                    String[] lines = new String[rejected + 2];
                    lines[0] = HEADER;
                    for (int k = 0; k < rejected; k++) lines[k + 1] = "/unknown/" + k;
                    lines[rejected + 1] = "/wanted/1.0.0";
                    byte[] input = concat(msgs(lines), payload);
                    MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/wanted/1.0.0"));
                    ByteArrayOutputStream sent = new ByteArrayOutputStream();
                    Outcome last = NeedMore.INSTANCE;
                    int off = 0;
                    while (off < input.length && last instanceof NeedMore) {
                        int n = Math.min(chunk, input.length - off);
                        Step s = r.feed(input, off, n);
                        sent.writeBytes(s.output());
                        last = s.outcome();
                        off += n;
                    }
                    assertThat(last).isInstanceOf(Selected.class);
                    Selected sel = (Selected) last;
                    assertThat(sel.protocol()).isEqualTo("/wanted/1.0.0");
                    // What was left over plus what was never fed is exactly the payload.
                    byte[] rest = concat(sel.leftover(), Arrays.copyOfRange(input, off, input.length));
                    assertThat(rest).isEqualTo(payload);
                    String[] answers = new String[rejected + 2];
                    answers[0] = HEADER;
                    for (int k = 0; k < rejected; k++) answers[k + 1] = "na";
                    answers[rejected + 1] = "/wanted/1.0.0";
                    assertThat(sent.toByteArray()).isEqualTo(msgs(answers));
                });
    }

    @Test
    void truncatedTranscriptsNeedMore() {
        byte[] full = msgs(HEADER, "/nope", "/a");
        qt().withExamples(200).forAll(SourceDSL.integers().between(0, full.length - 1)).checkAssert(cut -> {
            MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/a"));
            assertThat(r.feed(Arrays.copyOf(full, cut)).outcome()).isInstanceOf(NeedMore.class);
        });
    }

    @Test
    void oversizedLengthPrefixesFailWhateverTheLimit() {
        qt().withExamples(500).forAll(SourceDSL.integers().between(20, 5000), SourceDSL.integers().between(1, 100_000))
                .checkAssert((limit, extra) -> {
                    MultistreamNegotiator r = MultistreamNegotiator.responder(Set.of("/a"), MultistreamConfig.DEFAULT.withMaxMessageLength(limit));
                    byte[] prefix = io.ggen.p2p.multiformats.Varint.encode((long) limit + extra);
                    assertThat(r.feed(prefix).outcome()).isInstanceOf(Failed.class);
                });
    }
}
