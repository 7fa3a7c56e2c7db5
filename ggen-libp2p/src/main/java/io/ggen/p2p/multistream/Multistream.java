package io.ggen.p2p.multistream;

import io.ggen.p2p.multiformats.MultiformatException;
import io.ggen.p2p.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * Blocking multistream-select over a stream pair, for muxed streams served on virtual threads.
 *
 * <p>Reads exactly the negotiation's messages, byte by byte for the length prefix and then
 * exactly the announced length, so no byte of the selected protocol is consumed: when a method
 * returns, {@code in} is positioned on the protocol's first byte. Callers bound the time taken
 * (a stream deadline or closing the stream), as these methods have no timeout of their own.
 */
public final class Multistream {
    private Multistream() {}

    /**
     * Proposes {@code protocols} in order of preference and returns the first the peer accepts.
     *
     * @throws ProtocolNegotiationException if the peer accepts none, breaks the protocol, exceeds
     *     a limit, or the stream ends
     */
    public static String select(InputStream in, OutputStream out, List<String> protocols) throws IOException {
        return select(in, out, protocols, MultistreamConfig.DEFAULT);
    }

    public static String select(InputStream in, OutputStream out, List<String> protocols, MultistreamConfig config) throws IOException {
        return run(MultistreamNegotiator.initiator(protocols, config), in, out, config);
    }

    /**
     * Completes a lazy selection: {@code proposer}, an initiator with one proposal, has had its
     * {@link MultistreamNegotiator#start} sent without waiting; this reads the peer's header and
     * answer from {@code in}, and nothing more, and returns the protocol.
     *
     * @throws ProtocolNegotiationException if the peer refuses ({@code na}), breaks the protocol,
     *     exceeds a limit, or the stream ends
     */
    public static String awaitAnswer(MultistreamNegotiator proposer, InputStream in, MultistreamConfig config) throws IOException {
        while (true) {
            MultistreamNegotiator.Step step = proposer.feed(readMessage(in, config.maxMessageLength()));
            switch (step.outcome()) {
                case MultistreamNegotiator.NeedMore ignored -> { }
                case MultistreamNegotiator.Selected selected -> {
                    return selected.protocol();
                }
                case MultistreamNegotiator.Failed failed -> throw failed.toException();
            }
        }
    }

    /** Answers the peer's proposals, accepting those in {@code supported} (also listed on {@code ls}). */
    public static String respond(InputStream in, OutputStream out, Collection<String> supported) throws IOException {
        return respond(in, out, supported, MultistreamConfig.DEFAULT);
    }

    public static String respond(InputStream in, OutputStream out, Collection<String> supported, MultistreamConfig config) throws IOException {
        return run(MultistreamNegotiator.responder(supported, config), in, out, config);
    }

    /** Answers the peer's proposals, accepting those {@code supported} accepts; lists {@code advertised}. */
    public static String respond(InputStream in, OutputStream out, Predicate<String> supported, List<String> advertised,
                                 MultistreamConfig config) throws IOException {
        return run(MultistreamNegotiator.responder(supported, advertised, config), in, out, config);
    }

    /**
     * Asks the peer for its protocols with {@code ls}. The stream stays in negotiation: the caller
     * may then {@link #select} (which sends the header again, as peers accept) or close it.
     * Support for {@code ls} is optional in the spec; a peer without it answers {@code na},
     * reported here as a {@link ProtocolNegotiationException}.
     */
    public static List<String> list(InputStream in, OutputStream out, MultistreamConfig config) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        MultistreamCodec.encodeTo(MultistreamCodec.PROTOCOL_ID, request);
        MultistreamCodec.encodeTo(MultistreamCodec.LS, request);
        out.write(request.toByteArray());
        out.flush();
        byte[] header = readMessage(in, config.maxMessageLength());
        String headerText = MultistreamCodec.tryDecode(header, 0, header.length, config.maxMessageLength()).text();
        if (!headerText.equals(MultistreamCodec.PROTOCOL_ID)) {
            throw new ProtocolNegotiationException("peer did not answer with the multistream header but " + MultistreamCodec.printable(headerText));
        }
        byte[] answer = readMessage(in, config.maxListResponseLength());
        int prefix = prefixLength(answer);
        byte[] body = Arrays.copyOfRange(answer, prefix, answer.length);
        if (Arrays.equals(body, new byte[] {'n', 'a', '\n'})) throw new ProtocolNegotiationException("peer does not support ls");
        return MultistreamCodec.decodeListBody(body, config.maxMessageLength());
    }

    private static int prefixLength(byte[] message) {
        int i = 0;
        while ((message[i] & 0x80) != 0) i++;
        return i + 1;
    }

    private static String run(MultistreamNegotiator negotiator, InputStream in, OutputStream out, MultistreamConfig config) throws IOException {
        // Answers are held back while more of the peer's pipelined messages are already here, so
        // that they leave in one packet as the spec recommends.
        ByteArrayOutputStream unsent = new ByteArrayOutputStream();
        unsent.writeBytes(negotiator.start());
        while (true) {
            if (unsent.size() > 0 && in.available() == 0) {
                out.write(unsent.toByteArray());
                out.flush();
                unsent.reset();
            }
            byte[] message = readMessage(in, config.maxMessageLength());
            MultistreamNegotiator.Step step = negotiator.feed(message);
            unsent.writeBytes(step.output());
            switch (step.outcome()) {
                case MultistreamNegotiator.NeedMore ignored -> { }
                case MultistreamNegotiator.Selected selected -> {
                    flush(out, unsent);
                    return selected.protocol();
                }
                case MultistreamNegotiator.Failed failed -> {
                    // Send any na already produced, so the peer learns why we stop, then give up.
                    try {
                        flush(out, unsent);
                    } catch (IOException ignored) {
                        // The failure being reported matters more than this write's.
                    }
                    throw failed.toException();
                }
            }
        }
    }

    private static void flush(OutputStream out, ByteArrayOutputStream unsent) throws IOException {
        if (unsent.size() > 0) {
            out.write(unsent.toByteArray());
            out.flush();
            unsent.reset();
        }
    }

    /**
     * Reads one length-prefixed message (prefix included) and nothing more. The length is checked
     * against {@code maxLength} before the body is allocated.
     */
    static byte[] readMessage(InputStream in, int maxLength) throws IOException {
        byte[] prefix = new byte[Varint.MAX_BYTES];
        int n = 0;
        long length;
        while (true) {
            int b = in.read();
            if (b < 0) throw new ProtocolNegotiationException("stream ended during protocol negotiation");
            prefix[n++] = (byte) b;
            try {
                length = Varint.peek(prefix, 0, n, maxLength);
            } catch (MultiformatException e) {
                throw new ProtocolNegotiationException("bad message length: " + e.getMessage(), e);
            }
            if (length >= 0) break;
        }
        if (length == 0) throw new ProtocolNegotiationException("empty message");
        byte[] message = Arrays.copyOf(prefix, n + (int) length);
        int read = in.readNBytes(message, n, (int) length);
        if (read < length) throw new ProtocolNegotiationException("stream ended during protocol negotiation");
        return message;
    }
}
