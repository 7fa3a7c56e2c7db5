package io.ggen.p2p.pubsub;

import io.ggen.p2p.crypto.PeerId;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A pubsub message as the router handles it: author, sequence number, topic, data, the signature
 * and key as received, and its message id (from + seqno by default).
 */
public record PubsubMessage(PeerId from, byte[] seqno, String topic, byte[] data, byte[] signature, byte[] key, MessageId id) {
    /** A message id: opaque bytes, compared by value. */
    public record MessageId(byte[] bytes) {
        public MessageId {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MessageId m && Arrays.equals(bytes, m.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 12));
        }
    }

    /** The same message under another id (a custom {@link MessageIdFunction}). */
    public PubsubMessage withId(MessageId newId) {
        return new PubsubMessage(from, seqno, topic, data, signature, key, newId);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int size() {
        return data.length;
    }

    /** The seqno as the unsigned decimal js prints. */
    public String seqnoText() {
        return new java.math.BigInteger(1, seqno).toString();
    }
}
