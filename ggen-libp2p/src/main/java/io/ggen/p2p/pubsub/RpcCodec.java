package io.ggen.p2p.pubsub;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.crypto.PublicKey;
import io.ggen.p2p.pubsub.pb.PubsubProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Bytes <-> pubsub RPCs, the StrictSign signature and message ids. Decoding checks counts the
 * protobuf parser does not: subscriptions, messages and control entries per RPC, ids per IHAVE
 * and IWANT, and the sizes of topics, seqnos and ids. Pure.
 */
public final class RpcCodec {
    public static final int MAX_SUBSCRIPTIONS = 1024;
    public static final int MAX_MESSAGES = 1024;
    public static final int MAX_CONTROL_ENTRIES = 1024;
    public static final int MAX_IDS = 5000;
    public static final int MAX_TOPIC = 1024;
    public static final int MAX_ID_BYTES = 256;
    private static final byte[] SIGN_PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);

    private RpcCodec() {}

    /** A malformed or over-limit RPC. */
    public static final class RpcException extends Exception {
        private static final long serialVersionUID = 1L;

        public RpcException(String message) {
            super(message);
        }
    }

    public static PubsubProto.RPC decode(byte[] bytes, int maxRpcSize) throws RpcException {
        if (bytes.length > maxRpcSize) throw new RpcException("RPC of " + bytes.length + " bytes exceeds " + maxRpcSize);
        PubsubProto.RPC rpc;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(8);
            rpc = PubsubProto.RPC.parseFrom(in);
        } catch (IOException e) {
            throw new RpcException("malformed RPC: " + e.getMessage());
        }
        if (rpc.getSubscriptionsCount() > MAX_SUBSCRIPTIONS) throw new RpcException("too many subscriptions");
        if (rpc.getPublishCount() > MAX_MESSAGES) throw new RpcException("too many messages");
        for (PubsubProto.RPC.SubOpts s : rpc.getSubscriptionsList()) {
            if (s.getTopicid().length() > MAX_TOPIC) throw new RpcException("topic too long");
        }
        for (PubsubProto.Message m : rpc.getPublishList()) {
            if (m.getTopic().length() > MAX_TOPIC) throw new RpcException("topic too long");
            if (m.getSeqno().size() > 64 || m.getFrom().size() > 128 || m.getSignature().size() > 1024 || m.getKey().size() > 2048) {
                throw new RpcException("message field too long");
            }
        }
        if (rpc.hasControl()) {
            PubsubProto.ControlMessage c = rpc.getControl();
            if (c.getIhaveCount() + c.getIwantCount() + c.getGraftCount() + c.getPruneCount() + c.getIdontwantCount() > MAX_CONTROL_ENTRIES) {
                throw new RpcException("too many control entries");
            }
            int ids = 0;
            for (PubsubProto.ControlIHave h : c.getIhaveList()) ids += h.getMessageIDsCount();
            for (PubsubProto.ControlIWant w : c.getIwantList()) ids += w.getMessageIDsCount();
            for (PubsubProto.ControlIDontWant w : c.getIdontwantList()) ids += w.getMessageIDsCount();
            if (ids > MAX_IDS * 2) throw new RpcException("too many message ids");
            for (PubsubProto.ControlPrune p : c.getPruneList()) if (p.getPeersCount() > 64) throw new RpcException("too many PX peers");
        }
        return rpc;
    }

    /** The bytes StrictSign signs: the prefix and the message without signature and key. */
    static byte[] signedBytes(PubsubProto.Message m) {
        byte[] body = m.toBuilder().clearSignature().clearKey().build().toByteArray();
        byte[] out = new byte[SIGN_PREFIX.length + body.length];
        System.arraycopy(SIGN_PREFIX, 0, out, 0, SIGN_PREFIX.length);
        System.arraycopy(body, 0, out, SIGN_PREFIX.length, body.length);
        return out;
    }

    /** Builds and signs a message of ours; the key is attached only when the peer id does not inline it. */
    public static PubsubProto.Message sign(PrivateKey key, PeerId self, long seqno, String topic, byte[] data) {
        byte[] seq = java.nio.ByteBuffer.allocate(8).putLong(seqno).array();
        PubsubProto.Message unsigned = PubsubProto.Message.newBuilder()
                .setFrom(ByteString.copyFrom(self.toBytes()))
                .setData(ByteString.copyFrom(data))
                .setSeqno(ByteString.copyFrom(seq))
                .setTopic(topic)
                .build();
        PubsubProto.Message.Builder b = unsigned.toBuilder().setSignature(ByteString.copyFrom(key.sign(signedBytes(unsigned))));
        if (self.publicKey().isEmpty()) b.setKey(ByteString.copyFrom(Keys.marshalPublic(key.publicKey())));
        return b.build();
    }

    /**
     * Checks a received message under StrictSign: from, seqno, signature present; the key is the
     * one inlined in the peer id or the attached one, which must match the id; the signature holds.
     * Returns the parsed message with its default id (from + seqno), or why it is invalid.
     */
    public static PubsubMessage verify(PubsubProto.Message m) throws RpcException {
        if (!m.hasFrom() || !m.hasSeqno() || !m.hasSignature()) throw new RpcException("StrictSign: message without from, seqno or signature");
        if (m.getSeqno().size() != 8) throw new RpcException("seqno must be 8 bytes");
        PeerId from;
        try {
            from = PeerId.fromBytes(m.getFrom().toByteArray());
        } catch (RuntimeException e) {
            throw new RpcException("invalid from: " + e.getMessage());
        }
        PublicKey pk;
        Optional<PublicKey> inline = from.publicKey();
        if (inline.isPresent()) {
            pk = inline.get();
            if (m.hasKey() && !java.util.Arrays.equals(Keys.marshalPublic(pk), m.getKey().toByteArray())) throw new RpcException("key does not match from");
        } else {
            if (!m.hasKey()) throw new RpcException("no key for a peer id that does not inline it");
            try {
                pk = Keys.unmarshalPublic(m.getKey().toByteArray());
            } catch (RuntimeException e) {
                throw new RpcException("invalid key: " + e.getMessage());
            }
            if (!from.matches(pk)) throw new RpcException("key does not match from");
        }
        if (!pk.verify(signedBytes(m), m.getSignature().toByteArray())) throw new RpcException("invalid signature");
        return opened(from, m);
    }

    /**
     * A message this node has just signed ({@link #sign}), opened without checking the signature
     * again: verifying our own signature would cost an Ed25519 verification on every publish.
     */
    public static PubsubMessage own(PeerId self, PubsubProto.Message m) {
        return opened(self, m);
    }

    private static PubsubMessage opened(PeerId from, PubsubProto.Message m) {
        byte[] id = new byte[m.getFrom().size() + 8];
        m.getFrom().copyTo(id, 0);
        m.getSeqno().copyTo(id, m.getFrom().size());
        return new PubsubMessage(from, m.getSeqno().toByteArray(), m.getTopic(), m.getData().toByteArray(), m.getSignature().toByteArray(),
                m.getKey().toByteArray(), new PubsubMessage.MessageId(id));
    }
}
