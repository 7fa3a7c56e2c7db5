package io.ggen.p2p.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.crypto.PublicKey;
import io.ggen.p2p.multiformats.Varint;
import io.ggen.p2p.record.pb.EnvelopeProto;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A signed envelope (libp2p RFC 0002): a payload, a type hint for it, the signer's public key, and
 * a signature over the domain string, the type and the payload, each preceded by its length as an
 * unsigned varint. The domain keeps a signature made for one purpose from being accepted for
 * another; it is not sent, both sides know it.
 *
 * <p>Instances are immutable and only come from {@link #seal} or {@link #open}, so every
 * envelope in hand has a valid signature for the domain it was opened with.
 */
public final class Envelope {
    /** Largest encoded envelope accepted; a peer record with dozens of addresses is under 2 KiB. */
    public static final int MAX_ENCODED_LENGTH = 16 * 1024;
    public static final int MAX_DOMAIN_LENGTH = 256;

    private final PublicKey publicKey;
    private final byte[] payloadType;
    private final byte[] payload;
    private final byte[] signature;
    private final byte[] encoded;

    private Envelope(PublicKey publicKey, byte[] payloadType, byte[] payload, byte[] signature, byte[] encoded) {
        this.publicKey = publicKey;
        this.payloadType = payloadType;
        this.payload = payload;
        this.signature = signature;
        this.encoded = encoded;
    }

    /** Signs {@code payload} with {@code key} for {@code domain}. */
    public static Envelope seal(PrivateKey key, String domain, byte[] payloadType, byte[] payload) {
        Objects.requireNonNull(key, "key");
        checkDomain(domain);
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(payload, "payload");
        byte[] signature = key.sign(signedBytes(domain, payloadType, payload));
        byte[] encoded = EnvelopeProto.Envelope.newBuilder()
                .setPublicKey(ByteString.copyFrom(key.publicKey().marshal()))
                .setPayloadType(ByteString.copyFrom(payloadType))
                .setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(signature))
                .build()
                .toByteArray();
        if (encoded.length > MAX_ENCODED_LENGTH) {
            throw new IllegalArgumentException("envelope of " + encoded.length + " bytes exceeds " + MAX_ENCODED_LENGTH);
        }
        return new Envelope(key.publicKey(), payloadType.clone(), payload.clone(), signature, encoded);
    }

    /**
     * Decodes an envelope and verifies its signature for {@code domain}.
     *
     * @throws RecordException if it is too large, malformed, has an unusable key, or the signature
     *     does not verify for this domain
     */
    public static Envelope open(byte[] encoded, String domain) throws RecordException {
        checkDomain(domain);
        if (encoded == null || encoded.length == 0) throw new RecordException("envelope: empty");
        if (encoded.length > MAX_ENCODED_LENGTH) {
            throw new RecordException("envelope: " + encoded.length + " bytes exceeds " + MAX_ENCODED_LENGTH);
        }
        EnvelopeProto.Envelope pb;
        try {
            pb = EnvelopeProto.Envelope.parseFrom(encoded);
        } catch (InvalidProtocolBufferException e) {
            throw new RecordException("envelope: malformed protobuf: " + e.getMessage(), e);
        }
        if (pb.getPublicKey().isEmpty()) throw new RecordException("envelope: no public key");
        if (pb.getSignature().isEmpty()) throw new RecordException("envelope: no signature");
        PublicKey key;
        try {
            key = Keys.unmarshalPublic(pb.getPublicKey().toByteArray());
        } catch (RuntimeException e) {
            throw new RecordException("envelope: bad public key: " + e.getMessage(), e);
        }
        byte[] payloadType = pb.getPayloadType().toByteArray();
        byte[] payload = pb.getPayload().toByteArray();
        byte[] signature = pb.getSignature().toByteArray();
        boolean valid;
        try {
            valid = key.verify(signedBytes(domain, payloadType, payload), signature);
        } catch (RuntimeException e) {
            // Key implementations answer false on bad signatures; this is a last line of defence.
            valid = false;
        }
        if (!valid) throw new RecordException("envelope: signature does not verify for domain \"" + domain + "\"");
        return new Envelope(key, payloadType, payload, signature, encoded.clone());
    }

    /**
     * The bytes the signature covers: length-prefixed domain, payload type and payload. The
     * public key is not part of them (the RFC signs everything but the key).
     */
    public static byte[] signedBytes(String domain, byte[] payloadType, byte[] payload) {
        byte[] d = domain.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.length + payloadType.length + payload.length + 12);
        out.writeBytes(Varint.encode(d.length));
        out.writeBytes(d);
        out.writeBytes(Varint.encode(payloadType.length));
        out.writeBytes(payloadType);
        out.writeBytes(Varint.encode(payload.length));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void checkDomain(String domain) {
        if (domain == null || domain.isEmpty()) throw new IllegalArgumentException("envelope domain must not be empty");
        if (domain.getBytes(StandardCharsets.UTF_8).length > MAX_DOMAIN_LENGTH) {
            throw new IllegalArgumentException("envelope domain longer than " + MAX_DOMAIN_LENGTH + " bytes");
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The peer that signed: the id derived from the envelope's key. */
    public PeerId signer() {
        return PeerId.fromPublicKey(publicKey);
    }

    public byte[] payloadType() {
        return payloadType.clone();
    }

    public boolean hasPayloadType(byte[] expected) {
        return Arrays.equals(payloadType, expected);
    }

    public byte[] payload() {
        return payload.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** The protobuf encoding, as received when opened, as produced when sealed. */
    public byte[] encode() {
        return encoded.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && Arrays.equals(encoded, e.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Envelope[signer=" + signer() + ", type=" + HexFormat.of().formatHex(payloadType) + ", " + payload.length + " payload bytes]";
    }
}
