package io.ggen.p2p.protocol.identify;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.ggen.p2p.crypto.InvalidKeyException;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PublicKey;
import io.ggen.p2p.multiformats.Multiaddr;
import io.ggen.p2p.multiformats.MultiformatException;
import io.ggen.p2p.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The identify protobuf ({@code Identify} of the identify spec), varint-length-prefixed on the
 * stream. Written by hand rather than generated, to enforce limits while decoding: the message
 * size is checked before anything is allocated, counts and lengths of every field are bounded,
 * and an address that does not parse is skipped (as js-libp2p does) rather than failing the
 * whole message. Unknown fields are skipped for forward compatibility.
 */
public final class IdentifyCodec {
    /** js-libp2p's default limit on an identify message. */
    public static final int MAX_MESSAGE_SIZE = 8192;
    public static final int MAX_ADDRS = 64;
    public static final int MAX_PROTOCOLS = 256;
    public static final int MAX_PROTOCOL_LENGTH = 1024;
    public static final int MAX_VERSION_LENGTH = 1024;

    private static final int PUBLIC_KEY = 1;
    private static final int LISTEN_ADDRS = 2;
    private static final int PROTOCOLS = 3;
    private static final int OBSERVED_ADDR = 4;
    private static final int PROTOCOL_VERSION = 5;
    private static final int AGENT_VERSION = 6;
    private static final int SIGNED_PEER_RECORD = 8;

    private IdentifyCodec() {}

    /** The message bytes (without length prefix). */
    public static byte[] encodeMessage(IdentifyInfo info) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        try {
            if (info.protocolVersion() != null && !info.protocolVersion().isEmpty()) out.writeString(PROTOCOL_VERSION, info.protocolVersion());
            if (info.agentVersion() != null && !info.agentVersion().isEmpty()) out.writeString(AGENT_VERSION, info.agentVersion());
            if (info.publicKey() != null) out.writeByteArray(PUBLIC_KEY, info.publicKey().marshal());
            for (Multiaddr a : info.listenAddrs()) out.writeByteArray(LISTEN_ADDRS, a.toBytes());
            if (info.observedAddr().isPresent()) out.writeByteArray(OBSERVED_ADDR, info.observedAddr().get().toBytes());
            for (String p : info.protocols()) out.writeString(PROTOCOLS, p);
            if (info.signedPeerRecord().isPresent()) out.writeByteArray(SIGNED_PEER_RECORD, info.signedPeerRecord().get());
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return buf.toByteArray();
    }

    /** The message with its varint length prefix, as written on the stream. */
    public static byte[] encode(IdentifyInfo info) {
        byte[] msg = encodeMessage(info);
        if (msg.length > MAX_MESSAGE_SIZE) throw new IllegalArgumentException("identify message of " + msg.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        byte[] out = new byte[Varint.encodedLength(msg.length) + msg.length];
        int n = Varint.write(msg.length, out, 0);
        System.arraycopy(msg, 0, out, n, msg.length);
        return out;
    }

    /** Reads one length-prefixed identify message; {@code push} allows a message without key. */
    public static IdentifyInfo read(InputStream in, boolean push) throws IOException {
        long len = readLength(in);
        byte[] msg = in.readNBytes((int) len);
        if (msg.length < len) throw new IdentifyException("identify: stream ended inside the message");
        return decodeMessage(msg, push);
    }

    private static long readLength(InputStream in) throws IOException {
        long value = 0;
        for (int i = 0; i < Varint.MAX_BYTES; i++) {
            int b = in.read();
            if (b < 0) throw new IdentifyException("identify: stream ended before the message");
            value |= (long) (b & 0x7f) << (7 * i);
            if (value > MAX_MESSAGE_SIZE) throw new IdentifyException("identify: message larger than " + MAX_MESSAGE_SIZE + " bytes");
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) throw new IdentifyException("identify: length not minimally encoded");
                return value;
            }
        }
        throw new IdentifyException("identify: length prefix too long");
    }

    /** Decodes a message without its length prefix. */
    public static IdentifyInfo decodeMessage(byte[] msg, boolean push) throws IdentifyException {
        if (msg.length > MAX_MESSAGE_SIZE) throw new IdentifyException("identify: message larger than " + MAX_MESSAGE_SIZE + " bytes");
        CodedInputStream in = CodedInputStream.newInstance(msg);
        PublicKey key = null;
        String protocolVersion = null;
        String agentVersion = null;
        List<Multiaddr> listen = new ArrayList<>();
        Multiaddr observed = null;
        List<String> protocols = new ArrayList<>();
        byte[] record = null;
        try {
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                int field = WireFormat.getTagFieldNumber(tag);
                int wire = WireFormat.getTagWireType(tag);
                if (field >= 1 && field <= 8 && field != 7 && wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    throw new IdentifyException("identify: field " + field + " has wire type " + wire);
                }
                switch (field) {
                    case PUBLIC_KEY -> {
                        byte[] k = in.readByteArray();
                        try {
                            key = Keys.unmarshalPublic(k);
                        } catch (InvalidKeyException e) {
                            throw new IdentifyException("identify: bad public key: " + e.getMessage(), e);
                        }
                    }
                    case LISTEN_ADDRS -> {
                        byte[] a = in.readByteArray();
                        if (listen.size() >= MAX_ADDRS) continue;
                        parseAddr(a).ifPresent(listen::add);
                    }
                    case PROTOCOLS -> {
                        String p = in.readStringRequireUtf8();
                        if (p.length() > MAX_PROTOCOL_LENGTH) throw new IdentifyException("identify: protocol id longer than " + MAX_PROTOCOL_LENGTH);
                        if (protocols.size() >= MAX_PROTOCOLS) throw new IdentifyException("identify: more than " + MAX_PROTOCOLS + " protocols");
                        protocols.add(p);
                    }
                    case OBSERVED_ADDR -> observed = parseAddr(in.readByteArray()).orElse(null);
                    case PROTOCOL_VERSION -> protocolVersion = bounded(in.readStringRequireUtf8(), "protocolVersion");
                    case AGENT_VERSION -> agentVersion = bounded(in.readStringRequireUtf8(), "agentVersion");
                    case SIGNED_PEER_RECORD -> record = in.readByteArray();
                    default -> {
                        if (!in.skipField(tag)) break;
                    }
                }
            }
        } catch (IdentifyException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IdentifyException("identify: malformed message: " + e.getMessage(), e);
        }
        if (key == null && !push) throw new IdentifyException("identify: message has no public key");
        return new IdentifyInfo(key, null, protocolVersion, agentVersion, listen, Optional.ofNullable(observed), protocols,
                Optional.ofNullable(record));
    }

    private static String bounded(String s, String what) throws IdentifyException {
        if (s.length() > MAX_VERSION_LENGTH) throw new IdentifyException("identify: " + what + " longer than " + MAX_VERSION_LENGTH);
        return s;
    }

    private static Optional<Multiaddr> parseAddr(byte[] b) {
        try {
            return Optional.of(Multiaddr.fromBytes(b));
        } catch (MultiformatException e) {
            return Optional.empty();
        }
    }
}
