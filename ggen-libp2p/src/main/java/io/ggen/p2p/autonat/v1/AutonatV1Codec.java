package io.ggen.p2p.autonat.v1;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ggen.p2p.autonat.v1.AutonatV1Message.Dial;
import io.ggen.p2p.autonat.v1.AutonatV1Message.DialResponse;
import io.ggen.p2p.autonat.v1.AutonatV1Message.ResponseStatus;
import io.ggen.p2p.autonat.v1.pb.AutonatV1Proto;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multiformats.MultiformatException;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * AutoNAT v1 messages as bytes and back: a length-prefixed protobuf {@code Message}. Decoding
 * trusts nothing: the frame length is checked before allocation, a dial carries at most
 * {@link #MAX_ADDRS} addresses (those that do not parse are dropped, as go-libp2p does), the
 * peer id must parse, a status we do not know is refused, the status text is cut to
 * {@link #MAX_STATUS_TEXT} characters; the only exception is {@link AutonatV1Exception}.
 */
public final class AutonatV1Codec {
    /** Largest message (go-libp2p reads at most 4 KiB). */
    public static final int MAX_MESSAGE_SIZE = 4096;
    public static final int MAX_ADDRS = 64;
    public static final int MAX_STATUS_TEXT = 256;

    private AutonatV1Codec() {}

    public static byte[] encode(AutonatV1Message m) {
        AutonatV1Proto.Message.Builder b = AutonatV1Proto.Message.newBuilder();
        switch (m) {
            case Dial d -> {
                AutonatV1Proto.Message.PeerInfo.Builder p = AutonatV1Proto.Message.PeerInfo.newBuilder()
                        .setId(ByteString.copyFrom(d.peer().toBytes()));
                for (Multiaddr a : d.addrs()) p.addAddrs(ByteString.copyFrom(a.toBytes()));
                b.setType(AutonatV1Proto.Message.MessageType.DIAL).setDial(AutonatV1Proto.Message.Dial.newBuilder().setPeer(p));
            }
            case DialResponse r -> {
                AutonatV1Proto.Message.DialResponse.Builder rb = AutonatV1Proto.Message.DialResponse.newBuilder()
                        .setStatus(AutonatV1Proto.Message.ResponseStatus.forNumber(r.status().wire));
                if (!r.statusText().isEmpty()) rb.setStatusText(r.statusText());
                r.addr().ifPresent(a -> rb.setAddr(ByteString.copyFrom(a.toBytes())));
                b.setType(AutonatV1Proto.Message.MessageType.DIAL_RESPONSE).setDialResponse(rb);
            }
        }
        return b.build().toByteArray();
    }

    public static AutonatV1Message decode(byte[] bytes) throws AutonatV1Exception {
        if (bytes.length > MAX_MESSAGE_SIZE) throw new AutonatV1Exception("message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE_SIZE);
        AutonatV1Proto.Message m;
        try {
            m = AutonatV1Proto.Message.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AutonatV1Exception("malformed message: " + e.getMessage(), e);
        }
        if (!m.hasType()) throw new AutonatV1Exception("message without a type");
        return switch (m.getType()) {
            case DIAL -> decodeDial(m);
            case DIAL_RESPONSE -> decodeResponse(m);
        };
    }

    private static Dial decodeDial(AutonatV1Proto.Message m) throws AutonatV1Exception {
        if (!m.hasDial() || !m.getDial().hasPeer()) throw new AutonatV1Exception("dial without peer info");
        AutonatV1Proto.Message.PeerInfo p = m.getDial().getPeer();
        if (p.getAddrsCount() > MAX_ADDRS) throw new AutonatV1Exception("dial with " + p.getAddrsCount() + " addresses, more than " + MAX_ADDRS);
        PeerId id;
        try {
            id = PeerId.fromBytes(p.getId().toByteArray());
        } catch (RuntimeException e) {
            throw new AutonatV1Exception("dial with a peer id that does not parse", e);
        }
        List<Multiaddr> addrs = new ArrayList<>();
        for (ByteString a : p.getAddrsList()) Multiaddr.tryFromBytes(a.toByteArray()).ifPresent(addrs::add);
        return new Dial(id, addrs);
    }

    private static DialResponse decodeResponse(AutonatV1Proto.Message m) throws AutonatV1Exception {
        if (!m.hasDialResponse() || !m.getDialResponse().hasStatus()) throw new AutonatV1Exception("dial response without a status");
        AutonatV1Proto.Message.DialResponse r = m.getDialResponse();
        ResponseStatus status = null;
        for (ResponseStatus s : ResponseStatus.values()) if (s.wire == r.getStatus().getNumber()) status = s;
        if (status == null) throw new AutonatV1Exception("unknown response status");
        Optional<Multiaddr> addr = Optional.empty();
        if (r.hasAddr()) {
            try {
                addr = Optional.of(Multiaddr.fromBytes(r.getAddr().toByteArray()));
            } catch (MultiformatException e) {
                throw new AutonatV1Exception("dial response with an address that does not parse", e);
            }
        }
        String text = r.getStatusText();
        return new DialResponse(status, text.length() > MAX_STATUS_TEXT ? text.substring(0, MAX_STATUS_TEXT) : text, addr);
    }

    public static void write(OutputStream out, AutonatV1Message m) throws IOException {
        LengthPrefixed.write(out, encode(m));
    }

    public static AutonatV1Message read(InputStream in) throws IOException, AutonatV1Exception {
        byte[] frame = LengthPrefixed.read(in, MAX_MESSAGE_SIZE).orElseThrow(() -> new EOFException("stream ended before the message"));
        return decode(frame);
    }
}
