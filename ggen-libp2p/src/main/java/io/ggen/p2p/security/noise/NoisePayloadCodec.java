package io.ggen.p2p.security.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.security.noise.pb.NoiseProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoding and decoding of the libp2p {@code NoiseHandshakePayload} protobuf (noise.proto).
 *
 * <p>Decoding is written against {@link CodedInputStream} rather than the generated parser so
 * that every length is checked against a limit before anything is allocated from it, and so
 * that repeated fields cannot grow past a fixed count. Unknown fields, in the payload and in the
 * extensions, are skipped: the spec lets new extensions appear (code points above 1024 are for
 * experiments), and peers must tolerate them.
 */
public final class NoisePayloadCodec {
    /** Largest identity key encoding accepted; an RSA-8192 key is about 1.1 KB. */
    public static final int MAX_IDENTITY_KEY = Keys.MAX_ENCODED_KEY;
    /** Largest signature accepted; RSA-8192 signatures are 1024 bytes. */
    public static final int MAX_IDENTITY_SIG = 2048;
    public static final int MAX_STREAM_MUXERS = 32;
    public static final int MAX_PROTOCOL_ID = 512;
    public static final int MAX_CERTHASHES = 16;
    public static final int MAX_CERTHASH = 128;

    private static final int TAG_IDENTITY_KEY = tag(1);
    private static final int TAG_IDENTITY_SIG = tag(2);
    private static final int TAG_EXTENSIONS = tag(4);
    private static final int TAG_CERTHASH = tag(1);
    private static final int TAG_STREAM_MUXER = tag(2);

    /** Tag of a length-delimited field (wire type 2). */
    private static int tag(int field) {
        return (field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    private NoisePayloadCodec() {}

    public static byte[] encode(NoisePayload payload) {
        NoiseProto.NoiseHandshakePayload.Builder b = NoiseProto.NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(payload.identityKey()))
                .setIdentitySig(ByteString.copyFrom(payload.identitySig()));
        // Extensions are omitted when empty, as other implementations do, to keep messages small.
        if (!payload.streamMuxers().isEmpty() || !payload.webtransportCerthashes().isEmpty()) {
            NoiseProto.NoiseExtensions.Builder ext = NoiseProto.NoiseExtensions.newBuilder().addAllStreamMuxers(payload.streamMuxers());
            for (byte[] h : payload.webtransportCerthashes()) ext.addWebtransportCerthashes(ByteString.copyFrom(h));
            b.setExtensions(ext);
        }
        return b.build().toByteArray();
    }

    /** Decodes a payload; throws {@link NoiseException} on any malformed or oversized field. */
    public static NoisePayload decode(byte[] data) throws NoiseException {
        if (data.length > HandshakeState.MAX_MESSAGE) throw new NoiseException("handshake payload longer than 65535 bytes");
        CodedInputStream in = CodedInputStream.newInstance(data);
        in.setRecursionLimit(8);
        byte[] identityKey = null;
        byte[] identitySig = null;
        List<byte[]> certhashes = new ArrayList<>();
        List<String> muxers = new ArrayList<>();
        try {
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                if (tag == TAG_IDENTITY_KEY) {
                    identityKey = readBytes(in, MAX_IDENTITY_KEY, "identity_key");
                } else if (tag == TAG_IDENTITY_SIG) {
                    identitySig = readBytes(in, MAX_IDENTITY_SIG, "identity_sig");
                } else if (tag == TAG_EXTENSIONS) {
                    // Protobuf merges repeated occurrences of a message field; so do we.
                    int len = readLength(in, data.length, "extensions");
                    int old = in.pushLimit(len);
                    readExtensions(in, certhashes, muxers);
                    in.popLimit(old);
                } else if (!in.skipField(tag)) {
                    throw new NoiseException("handshake payload: unexpected end-group tag");
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new NoiseException("handshake payload: malformed protobuf: " + e.getMessage());
        } catch (IOException e) {
            throw new NoiseException("handshake payload: malformed protobuf", e);
        }
        if (identityKey == null || identityKey.length == 0) throw new NoiseException("handshake payload: identity_key missing");
        if (identitySig == null || identitySig.length == 0) throw new NoiseException("handshake payload: identity_sig missing");
        return new NoisePayload(identityKey, identitySig, certhashes, muxers);
    }

    private static void readExtensions(CodedInputStream in, List<byte[]> certhashes, List<String> muxers) throws IOException, NoiseException {
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (tag == TAG_CERTHASH) {
                if (certhashes.size() >= MAX_CERTHASHES) throw new NoiseException("handshake payload: more than " + MAX_CERTHASHES + " webtransport certhashes");
                certhashes.add(readBytes(in, MAX_CERTHASH, "webtransport_certhash"));
            } else if (tag == TAG_STREAM_MUXER) {
                if (muxers.size() >= MAX_STREAM_MUXERS) throw new NoiseException("handshake payload: more than " + MAX_STREAM_MUXERS + " stream muxers");
                byte[] raw = readBytes(in, MAX_PROTOCOL_ID, "stream_muxer");
                muxers.add(utf8(raw));
            } else if (!in.skipField(tag)) {
                throw new NoiseException("handshake payload: unexpected end-group tag in extensions");
            }
        }
    }

    private static int readLength(CodedInputStream in, int max, String field) throws IOException, NoiseException {
        int len = in.readRawVarint32();
        if (len < 0 || len > max) throw new NoiseException("handshake payload: " + field + " length " + Integer.toUnsignedString(len) + " exceeds " + max);
        if (len > in.getBytesUntilLimit() && in.getBytesUntilLimit() >= 0) {
            throw new NoiseException("handshake payload: " + field + " truncated");
        }
        return len;
    }

    private static byte[] readBytes(CodedInputStream in, int max, String field) throws IOException, NoiseException {
        return in.readRawBytes(readLength(in, max, field));
    }

    private static String utf8(byte[] raw) throws NoiseException {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new NoiseException("handshake payload: stream muxer id is not valid UTF-8");
        }
    }
}
