package io.ggen.p2p.protocol.identify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PublicKey;
import io.ggen.p2p.core.IdentifyInfo;
import io.ggen.p2p.protocol.identify.pb.IdentifyProto;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.protocol.LengthPrefixed;
import io.ggen.p2p.record.RecordException;
import io.ggen.p2p.record.SignedPeerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Identify messages on the wire: a protobuf {@code Identify} preceded by its length as an unsigned
 * varint. Decoding is defensive: the length is checked before allocation, counts and lengths are
 * bounded, unusable parts are dropped rather than failing the whole message where js-libp2p
 * does the same, and the only exception thrown is {@link IdentifyException}.
 */
public final class IdentifyCodec {
    public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";
    /** Largest message, as js-libp2p and go-libp2p accept. */
    public static final int MAX_MESSAGE_SIZE = 8 * 1024;
    /** Messages read from one stream before the rest is ignored (js and go read up to 10). */
    public static final int MAX_MESSAGES = 10;
    public static final int MAX_LISTEN_ADDRS = IdentifyInfo.MAX_LISTEN_ADDRS;
    public static final int MAX_PROTOCOLS = IdentifyInfo.MAX_PROTOCOLS;
    public static final int MAX_PROTOCOL_LENGTH = 1023;
    public static final int MAX_VERSION_LENGTH = 256;

    private IdentifyCodec() {}

    /** The protobuf encoding, without length prefix. Fields left empty are not sent. */
    public static byte[] encode(IdentifyInfo info) {
        IdentifyProto.Identify.Builder b = IdentifyProto.Identify.newBuilder();
        if (!info.protocolVersion().isEmpty()) b.setProtocolVersion(info.protocolVersion());
        if (!info.agentVersion().isEmpty()) b.setAgentVersion(info.agentVersion());
        if (info.publicKey() != null) b.setPublicKey(ByteString.copyFrom(info.publicKey().marshal()));
        for (Multiaddr a : info.listenAddrs()) b.addListenAddrs(ByteString.copyFrom(a.toBytes()));
        info.observedAddr().ifPresent(a -> b.setObservedAddr(ByteString.copyFrom(a.toBytes())));
        b.addAllProtocols(info.protocols());
        info.signedPeerRecord().ifPresent(r -> b.setSignedPeerRecord(ByteString.copyFrom(r.encode())));
        byte[] out = b.build().toByteArray();
        if (out.length > MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("identify message of " + out.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        }
        return out;
    }

    /** The length-prefixed encoding, as written on the stream. */
    public static byte[] encodeDelimited(IdentifyInfo info) {
        return LengthPrefixed.frame(encode(info));
    }

    public static void writeDelimited(OutputStream out, IdentifyInfo info) throws IOException {
        LengthPrefixed.write(out, encode(info));
    }

    /** Decodes an identify answer (without length prefix): the public key is required. */
    public static IdentifyInfo decode(byte[] message) throws IdentifyException {
        return decode(message, false);
    }

    /** Decodes an identify-push message (without length prefix): every field may be absent. */
    public static IdentifyInfo decodePush(byte[] message) throws IdentifyException {
        return decode(message, true);
    }

    /**
     * Reads one length-prefixed message and nothing beyond it.
     *
     * @return the message, or empty if the stream ended cleanly before its first byte
     */
    public static Optional<IdentifyInfo> readDelimited(InputStream in, boolean push) throws IdentifyException, IOException {
        Optional<byte[]> message;
        try {
            message = LengthPrefixed.read(in, MAX_MESSAGE_SIZE);
        } catch (LengthPrefixed.FrameException e) {
            throw new IdentifyException("bad message length: " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new IdentifyException("stream ended inside an identify message: " + e.getMessage(), e);
        }
        if (message.isEmpty()) return Optional.empty();
        return Optional.of(decode(message.get(), push));
    }

    /**
     * Reads the messages a peer sends on one identify stream until it ends (at most
     * {@link #MAX_MESSAGES}) and merges them. As in js-libp2p, an error after the first message
     * ends the reading but keeps what was read.
     *
     * @throws IdentifyException if not even one valid message arrived
     */
    public static IdentifyInfo readAll(InputStream in, boolean push) throws IdentifyException, IOException {
        IdentifyInfo merged = null;
        for (int i = 0; i < MAX_MESSAGES; i++) {
            Optional<IdentifyInfo> next;
            try {
                next = readDelimited(in, merged != null || push);
            } catch (IdentifyException | IOException e) {
                if (merged == null) throw e;
                break;
            }
            if (next.isEmpty()) break;
            merged = merged == null ? next.get() : merged.updatedBy(next.get());
        }
        if (merged == null) throw new IdentifyException("stream ended before an identify message");
        return merged;
    }

    static IdentifyInfo decode(byte[] message, boolean push) throws IdentifyException {
        if (message == null) throw new IdentifyException("no message");
        if (message.length > MAX_MESSAGE_SIZE) {
            throw new IdentifyException("identify message of " + message.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        }
        IdentifyProto.Identify pb;
        try {
            pb = IdentifyProto.Identify.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IdentifyException("malformed identify protobuf: " + e.getMessage(), e);
        }
        try {
            return fromProto(pb, push);
        } catch (IdentifyException e) {
            throw e;
        } catch (RuntimeException e) {
            // Whatever a hostile message trips in a lower layer is still just a bad message.
            throw new IdentifyException("invalid identify message: " + e.getMessage(), e);
        }
    }

    private static IdentifyInfo fromProto(IdentifyProto.Identify pb, boolean push) throws IdentifyException {
        PublicKey key = null;
        if (pb.hasPublicKey()) {
            try {
                key = Keys.unmarshalPublic(pb.getPublicKey().toByteArray());
            } catch (RuntimeException e) {
                throw new IdentifyException("bad public key: " + e.getMessage(), e);
            }
        } else if (!push) {
            throw new IdentifyException("identify message has no public key");
        }
        String protocolVersion = version(pb.hasProtocolVersion(), pb.getProtocolVersion(), "protocolVersion");
        String agentVersion = version(pb.hasAgentVersion(), pb.getAgentVersion(), "agentVersion");

        List<Multiaddr> listen = new ArrayList<>();
        for (ByteString a : pb.getListenAddrsList()) {
            if (listen.size() == MAX_LISTEN_ADDRS) break;
            Multiaddr.tryFromBytes(a.toByteArray()).ifPresent(listen::add);
        }
        Optional<Multiaddr> observed = pb.hasObservedAddr() ? Multiaddr.tryFromBytes(pb.getObservedAddr().toByteArray()) : Optional.empty();

        List<String> protocols = new ArrayList<>();
        for (String p : pb.getProtocolsList()) {
            if (protocols.size() == MAX_PROTOCOLS) break;
            if (!p.isEmpty() && p.length() <= MAX_PROTOCOL_LENGTH && !protocols.contains(p)) protocols.add(p);
        }

        Optional<SignedPeerRecord> record = Optional.empty();
        if (pb.hasSignedPeerRecord()) {
            try {
                SignedPeerRecord r = SignedPeerRecord.open(pb.getSignedPeerRecord().toByteArray());
                // A record of another peer than the sender is dropped, like a record that does not verify.
                if (key == null || r.peerId().matches(key)) record = Optional.of(r);
            } catch (RecordException e) {
                record = Optional.empty();
            }
        }
        return new IdentifyInfo(key, null, protocolVersion, agentVersion, listen, observed, protocols, record);
    }

    private static String version(boolean present, String value, String field) throws IdentifyException {
        if (!present) return "";
        if (value.length() > MAX_VERSION_LENGTH) throw new IdentifyException(field + " longer than " + MAX_VERSION_LENGTH + " characters");
        return value;
    }
}
