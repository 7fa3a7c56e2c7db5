package io.ggen.p2p.multistream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The multistream-select 1.0 state machine of one side of one negotiation, without I/O: bytes
 * from the peer go in through {@link #feed}, bytes to send and the outcome come out.
 *
 * <p>The initiator sends the header and its first proposal together ({@link #start}), then each
 * further proposal after a {@code na}. The responder answers the header with the header, each
 * proposal with its echo (selected) or {@code na}, and {@code ls} with its advertised list; all
 * answers produced by one {@code feed} are returned together, so a pipelined header and proposal
 * get the header and the answer in one packet, as the spec recommends.
 *
 * <p>Bytes that follow the message that completed the negotiation belong to the selected
 * protocol: they are returned as {@link Selected#leftover()}. They are always a suffix of the
 * chunk given to the last {@code feed} call, which lets a caller that owns the buffer leave them
 * in place instead of copying.
 *
 * <p>Not thread-safe; one instance per negotiation.
 */
public final class MultistreamNegotiator {

    /** What a {@link #feed} call produced: bytes to send to the peer (maybe none), and the outcome. */
    public record Step(byte[] output, Outcome outcome) {
        public Step {
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** Where the negotiation stands after a {@link #feed} call. */
    public sealed interface Outcome permits Selected, Failed, NeedMore {}

    /** The protocol both sides agreed on, and bytes that arrived after the agreement. */
    public record Selected(String protocol, byte[] leftover) implements Outcome {
        public Selected {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(leftover, "leftover");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Selected s && protocol.equals(s.protocol) && Arrays.equals(leftover, s.leftover);
        }

        @Override
        public int hashCode() {
            return protocol.hashCode() * 31 + Arrays.hashCode(leftover);
        }

        @Override
        public String toString() {
            return "Selected[" + protocol + ", " + leftover.length + " leftover bytes]";
        }
    }

    /** The negotiation cannot succeed; the connection or stream should be closed. */
    public record Failed(String reason) implements Outcome {
        public ProtocolNegotiationException toException() {
            return new ProtocolNegotiationException(reason);
        }
    }

    /** No decision yet: send the output, then feed more bytes. */
    public record NeedMore() implements Outcome {
        static final NeedMore INSTANCE = new NeedMore();
    }

    private enum State { NEW, AWAIT_HEADER, AWAIT_MESSAGE, DONE }

    private static final byte[] EMPTY = new byte[0];

    private final boolean initiator;
    private final MultistreamConfig config;
    private final List<String> proposals;
    private final Predicate<String> supported;
    private final List<String> advertised;

    private State state = State.NEW;
    private int proposalIndex;
    private int answered;
    /** Bytes of a message not yet complete; bounded by the maximum message length plus its prefix. */
    private byte[] pending = EMPTY;

    private MultistreamNegotiator(boolean initiator, MultistreamConfig config, List<String> proposals,
                                  Predicate<String> supported, List<String> advertised) {
        this.initiator = initiator;
        this.config = Objects.requireNonNull(config, "config");
        this.proposals = proposals;
        this.supported = supported;
        this.advertised = advertised;
    }

    /** An initiator proposing {@code proposals} in order of preference. */
    public static MultistreamNegotiator initiator(List<String> proposals) {
        return initiator(proposals, MultistreamConfig.DEFAULT);
    }

    public static MultistreamNegotiator initiator(List<String> proposals, MultistreamConfig config) {
        List<String> copy = List.copyOf(proposals);
        if (copy.isEmpty()) throw new IllegalArgumentException("at least one protocol must be proposed");
        if (copy.size() > config.maxAttempts()) {
            throw new IllegalArgumentException(copy.size() + " proposals exceed the limit of " + config.maxAttempts());
        }
        for (String p : copy) MultistreamCodec.checkProtocolId(p, config.maxMessageLength());
        return new MultistreamNegotiator(true, config, copy, null, null);
    }

    /** A responder accepting exactly {@code supported}, which it also lists on {@code ls}. */
    public static MultistreamNegotiator responder(Collection<String> supported) {
        return responder(supported, MultistreamConfig.DEFAULT);
    }

    public static MultistreamNegotiator responder(Collection<String> supported, MultistreamConfig config) {
        Set<String> set = Set.copyOf(supported);
        return responder(set::contains, List.copyOf(supported), config);
    }

    /**
     * A responder accepting what {@code supported} accepts (for protocol families matched by
     * prefix or version range), listing {@code advertised} on {@code ls}. Only valid protocol ids
     * are ever offered to the predicate.
     */
    public static MultistreamNegotiator responder(Predicate<String> supported, List<String> advertised, MultistreamConfig config) {
        Objects.requireNonNull(supported, "supported");
        List<String> list = List.copyOf(advertised);
        for (String p : list) MultistreamCodec.checkProtocolId(p, config.maxMessageLength());
        return new MultistreamNegotiator(false, config, null, supported, list);
    }

    public boolean isInitiator() {
        return initiator;
    }

    public boolean isDone() {
        return state == State.DONE;
    }

    /**
     * Starts the negotiation and returns what to send first: the header and the first proposal
     * for an initiator, nothing for a responder (it answers the peer's header when it comes).
     */
    public byte[] start() {
        if (state != State.NEW) throw new IllegalStateException("already started");
        state = State.AWAIT_HEADER;
        if (!initiator) return EMPTY;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultistreamCodec.encodeTo(MultistreamCodec.PROTOCOL_ID, out);
        MultistreamCodec.encodeTo(proposals.get(0), out);
        return out.toByteArray();
    }

    public Step feed(byte[] data) {
        return feed(data, 0, data.length);
    }

    /** Consumes all remaining bytes of {@code data}. */
    public Step feed(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        return feed(copy);
    }

    /**
     * Processes bytes received from the peer. Starts the negotiation implicitly if {@link #start}
     * was not called (a responder has nothing to send first; an initiator's first output is then
     * prepended to this step's output).
     *
     * @throws IllegalStateException if the negotiation already ended
     */
    public Step feed(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (state == State.NEW) out.writeBytes(start());
        if (state == State.DONE) throw new IllegalStateException("negotiation already ended");

        byte[] buf;
        int pos;
        int end;
        if (pending.length == 0) {
            buf = data;
            pos = off;
            end = off + len;
        } else {
            buf = Arrays.copyOf(pending, pending.length + len);
            System.arraycopy(data, off, buf, pending.length, len);
            pos = 0;
            end = buf.length;
        }

        while (true) {
            MultistreamCodec.Frame frame;
            try {
                frame = MultistreamCodec.tryDecode(buf, pos, end - pos, config.maxMessageLength());
            } catch (ProtocolNegotiationException e) {
                return fail(out, e.getMessage());
            }
            if (frame == null) {
                pending = Arrays.copyOfRange(buf, pos, end);
                return new Step(out.toByteArray(), NeedMore.INSTANCE);
            }
            pos += frame.consumed();
            Outcome outcome = initiator ? onInitiatorMessage(frame.text(), out) : onResponderMessage(frame.text(), out);
            if (outcome instanceof Failed f) return fail(out, f.reason());
            if (outcome instanceof Selected s) {
                state = State.DONE;
                pending = EMPTY;
                return new Step(out.toByteArray(), new Selected(s.protocol(), Arrays.copyOfRange(buf, pos, end)));
            }
        }
    }

    private Step fail(ByteArrayOutputStream out, String reason) {
        state = State.DONE;
        pending = EMPTY;
        return new Step(out.toByteArray(), new Failed(reason));
    }

    private Outcome onInitiatorMessage(String text, ByteArrayOutputStream out) {
        if (state == State.AWAIT_HEADER) {
            if (!text.equals(MultistreamCodec.PROTOCOL_ID)) {
                return new Failed("peer did not answer with the multistream header but " + MultistreamCodec.printable(text));
            }
            state = State.AWAIT_MESSAGE;
            return NeedMore.INSTANCE;
        }
        String proposed = proposals.get(proposalIndex);
        if (text.equals(proposed)) return new Selected(proposed, EMPTY);
        if (!text.equals(MultistreamCodec.NA)) {
            return new Failed("peer answered " + MultistreamCodec.printable(text) + " to the proposal of " + proposed);
        }
        proposalIndex++;
        if (proposalIndex == proposals.size()) return new Failed("peer supports none of " + proposals);
        MultistreamCodec.encodeTo(proposals.get(proposalIndex), out);
        return NeedMore.INSTANCE;
    }

    private Outcome onResponderMessage(String text, ByteArrayOutputStream out) {
        if (state == State.AWAIT_HEADER) {
            if (!text.equals(MultistreamCodec.PROTOCOL_ID)) {
                return new Failed("peer did not start with the multistream header but " + MultistreamCodec.printable(text));
            }
            MultistreamCodec.encodeTo(MultistreamCodec.PROTOCOL_ID, out);
            state = State.AWAIT_MESSAGE;
            return NeedMore.INSTANCE;
        }
        if (++answered > config.maxAttempts()) {
            return new Failed("peer made more than " + config.maxAttempts() + " proposals");
        }
        if (text.equals(MultistreamCodec.PROTOCOL_ID)) {
            // A repeated header is answered, not refused: js does the same, and a peer that
            // listed with ls and then selects sends the header again.
            MultistreamCodec.encodeTo(MultistreamCodec.PROTOCOL_ID, out);
            return NeedMore.INSTANCE;
        }
        if (text.equals(MultistreamCodec.LS)) {
            out.writeBytes(MultistreamCodec.encodeListResponse(advertised));
            return NeedMore.INSTANCE;
        }
        if (MultistreamCodec.isValidProtocolId(text) && supported.test(text)) {
            MultistreamCodec.encodeTo(text, out);
            return new Selected(text, EMPTY);
        }
        MultistreamCodec.encodeTo(MultistreamCodec.NA, out);
        return NeedMore.INSTANCE;
    }
}
