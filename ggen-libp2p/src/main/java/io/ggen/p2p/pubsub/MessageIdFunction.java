package io.ggen.p2p.pubsub;

import io.ggen.p2p.pubsub.PubsubMessage.MessageId;

/**
 * How a message is named for duplicate detection, IHAVE/IWANT and IDONTWANT. Every node of a
 * network must use the same function, or they gossip ids the others cannot match.
 */
@FunctionalInterface
public interface MessageIdFunction {
    /** The libp2p default: the author's peer id bytes followed by the 8-byte sequence number. */
    MessageIdFunction FROM_AND_SEQNO = m -> new MessageId(concat(m.from().toBytes(), m.seqno()));

    /**
     * The id of a verified message. It must not throw, and should be at most
     * {@link RpcCodec#MAX_ID_BYTES} long: longer ids cannot be gossiped.
     */
    MessageId apply(PubsubMessage message);

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
