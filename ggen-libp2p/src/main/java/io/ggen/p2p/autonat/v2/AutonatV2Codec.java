package io.ggen.p2p.autonat.v2;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialBack;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialBackResponse;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialDataRequest;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialDataResponse;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialRequest;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialResponse;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialStatus;
import io.ggen.p2p.autonat.v2.AutonatV2Message.ResponseStatus;
import io.ggen.p2p.autonat.v2.pb.AutonatV2Proto;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multiformats.MultiformatException;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * AutoNAT v2 messages as bytes and back: protobuf, each length-prefixed on the stream. Decoding
 * trusts nothing: the frame length is checked before allocation, a request carries at most
 * {@link #MAX_ADDRS} addresses (each must parse), a dial-data part at most
 * {@link #MAX_DIAL_DATA_CHUNK} bytes, an enum value we do not know is refused (the spec says to
 * discard what one does not understand), and the only exception is {@link AutonatV2Exception}.
 */
public final class AutonatV2Codec {
    /** Largest frame on either stream: a dial-data part of 4096 bytes and its framing fit easily. */
    public static final int MAX_MESSAGE_SIZE = 8 * 1024;
    /** Addresses in one dial request (go-libp2p's server looks at no more than 50). */
    public static final int MAX_ADDRS = 64;
    /** Data bytes in one DialDataResponse, as the spec fixes it. */
    public static final int MAX_DIAL_DATA_CHUNK = 4096;

    private AutonatV2Codec() {}

    // ------------------------------------------------------------------ dial-request stream

    public static byte[] encode(AutonatV2Message m) {
        AutonatV2Proto.Message.Builder b = AutonatV2Proto.Message.newBuilder();
        switch (m) {
            case DialRequest r -> {
                AutonatV2Proto.DialRequest.Builder rb = AutonatV2Proto.DialRequest.newBuilder().setNonce(r.nonce());
                for (Multiaddr a : r.addrs()) rb.addAddrs(ByteString.copyFrom(a.toBytes()));
                b.setDialRequest(rb);
            }
            case DialResponse r -> b.setDialResponse(AutonatV2Proto.DialResponse.newBuilder()
                    .setStatusValue(r.status().wire).setAddrIdx(r.addrIdx()).setDialStatusValue(r.dialStatus().wire));
            case DialDataRequest r -> b.setDialDataRequest(AutonatV2Proto.DialDataRequest.newBuilder()
                    .setAddrIdx(r.addrIdx()).setNumBytes(r.numBytes()));
            case DialDataResponse r -> b.setDialDataResponse(AutonatV2Proto.DialDataResponse.newBuilder()
                    .setData(ByteString.copyFrom(r.data())));
        }
        return b.build().toByteArray();
    }

    public static AutonatV2Message decode(byte[] bytes) throws AutonatV2Exception {
        if (bytes.length > MAX_MESSAGE_SIZE) throw new AutonatV2Exception("message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        AutonatV2Proto.Message m;
        try {
            m = AutonatV2Proto.Message.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AutonatV2Exception("malformed message: " + e.getMessage(), e);
        }
        try {
            return switch (m.getMsgCase()) {
                case DIALREQUEST -> decodeRequest(m.getDialRequest());
                case DIALRESPONSE -> {
                    AutonatV2Proto.DialResponse r = m.getDialResponse();
                    yield new DialResponse(responseStatus(r.getStatusValue()), unsigned(r.getAddrIdx(), "addrIdx"), dialStatus(r.getDialStatusValue()));
                }
                case DIALDATAREQUEST -> {
                    AutonatV2Proto.DialDataRequest r = m.getDialDataRequest();
                    if (r.getNumBytes() < 0) throw new AutonatV2Exception("numBytes beyond 2^63");
                    yield new DialDataRequest(unsigned(r.getAddrIdx(), "addrIdx"), r.getNumBytes());
                }
                case DIALDATARESPONSE -> {
                    ByteString data = m.getDialDataResponse().getData();
                    if (data.size() > MAX_DIAL_DATA_CHUNK) throw new AutonatV2Exception("dial data part of " + data.size() + " bytes exceeds " + MAX_DIAL_DATA_CHUNK);
                    yield new DialDataResponse(data.toByteArray());
                }
                case MSG_NOT_SET -> throw new AutonatV2Exception("message carries none of the known messages");
            };
        } catch (IllegalArgumentException e) {
            throw new AutonatV2Exception("invalid message: " + e.getMessage(), e);
        }
    }

    private static DialRequest decodeRequest(AutonatV2Proto.DialRequest r) throws AutonatV2Exception {
        if (r.getAddrsCount() > MAX_ADDRS) throw new AutonatV2Exception("dial request with " + r.getAddrsCount() + " addresses, more than " + MAX_ADDRS);
        List<Multiaddr> addrs = new ArrayList<>(r.getAddrsCount());
        for (int i = 0; i < r.getAddrsCount(); i++) {
            try {
                addrs.add(Multiaddr.fromBytes(r.getAddrs(i).toByteArray()));
            } catch (MultiformatException e) {
                throw new AutonatV2Exception("address " + i + " of the dial request does not parse: " + e.getMessage(), e);
            }
        }
        return new DialRequest(addrs, r.getNonce());
    }

    private static int unsigned(int v, String what) throws AutonatV2Exception {
        if (v < 0) throw new AutonatV2Exception(what + " beyond 2^31");
        return v;
    }

    private static ResponseStatus responseStatus(int v) throws AutonatV2Exception {
        for (ResponseStatus s : ResponseStatus.values()) if (s.wire == v) return s;
        throw new AutonatV2Exception("unknown response status " + v);
    }

    private static DialStatus dialStatus(int v) throws AutonatV2Exception {
        for (DialStatus s : DialStatus.values()) if (s.wire == v) return s;
        throw new AutonatV2Exception("unknown dial status " + v);
    }

    // ------------------------------------------------------------------ dial-back stream

    public static byte[] encode(DialBack m) {
        return AutonatV2Proto.DialBack.newBuilder().setNonce(m.nonce()).build().toByteArray();
    }

    public static byte[] encode(DialBackResponse m) {
        return AutonatV2Proto.DialBackResponse.newBuilder().setStatus(AutonatV2Proto.DialBackResponse.DialBackStatus.OK).build().toByteArray();
    }

    public static DialBack decodeDialBack(byte[] bytes) throws AutonatV2Exception {
        if (bytes.length > MAX_MESSAGE_SIZE) throw new AutonatV2Exception("dial-back of " + bytes.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        try {
            return new DialBack(AutonatV2Proto.DialBack.parseFrom(bytes).getNonce());
        } catch (InvalidProtocolBufferException e) {
            throw new AutonatV2Exception("malformed dial-back: " + e.getMessage(), e);
        }
    }

    public static DialBackResponse decodeDialBackResponse(byte[] bytes) throws AutonatV2Exception {
        if (bytes.length > MAX_MESSAGE_SIZE) throw new AutonatV2Exception("dial-back response of " + bytes.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        try {
            int status = AutonatV2Proto.DialBackResponse.parseFrom(bytes).getStatusValue();
            if (status != 0) throw new AutonatV2Exception("unknown dial-back status " + status);
            return new DialBackResponse();
        } catch (InvalidProtocolBufferException e) {
            throw new AutonatV2Exception("malformed dial-back response: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ framing

    public static void write(OutputStream out, byte[] message) throws IOException {
        LengthPrefixed.write(out, message);
    }

    /** The next frame; a stream that ends first is an {@link EOFException}. */
    public static byte[] readFrame(InputStream in) throws IOException {
        return LengthPrefixed.read(in, MAX_MESSAGE_SIZE).orElseThrow(() -> new EOFException("stream ended before the message"));
    }

    public static AutonatV2Message read(InputStream in) throws IOException, AutonatV2Exception {
        return decode(readFrame(in));
    }
}
