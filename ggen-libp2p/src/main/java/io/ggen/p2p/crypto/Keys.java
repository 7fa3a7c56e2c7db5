package io.ggen.p2p.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/**
 * The libp2p protobuf encodings of keys (peer-ids spec). Encoding is written by hand so that it
 * is deterministic (field order 1, 2, no unknown fields) as the spec requires for peer ids; the
 * decoder rejects anything else a hostile peer could send: unknown fields, duplicates, missing
 * fields, oversized data.
 */
public final class Keys {
    /** Largest encoded key we accept: an 8192-bit RSA public key in PKIX form is about 1.1 KB. */
    public static final int MAX_ENCODED_KEY = 4096;
    /** Largest encoded private key we accept: an 8192-bit RSA key in PKCS#1 is about 4.7 KB. */
    public static final int MAX_ENCODED_PRIVATE_KEY = 8192;

    private Keys() {}

    public static byte[] marshalPublic(PublicKey key) {
        return marshal(key.type(), key.raw());
    }

    public static byte[] marshalPrivate(PrivateKey key) {
        return marshal(key.type(), key.raw());
    }

    private static byte[] marshal(KeyType type, byte[] data) {
        int size = CodedOutputStream.computeEnumSize(1, type.number()) + CodedOutputStream.computeByteArraySize(2, data);
        byte[] out = new byte[size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            cos.writeEnum(1, type.number());
            cos.writeByteArray(2, data);
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Decodes a protobuf {@code PublicKey}; throws {@link InvalidKeyException} on any defect. */
    public static PublicKey unmarshalPublic(byte[] encoded) {
        if (encoded.length == ED25519_ENCODED_LENGTH) {
            java.nio.ByteBuffer k = java.nio.ByteBuffer.wrap(encoded);
            PublicKey known;
            synchronized (RECENT_ED25519) {
                known = RECENT_ED25519.get(k);
            }
            if (known != null) return known;
        }
        Decoded d = decode(encoded, MAX_ENCODED_KEY);
        PublicKey key = publicFromRaw(d.type, d.data);
        if (key instanceof Ed25519PublicKey && encoded.length == ED25519_ENCODED_LENGTH) {
            synchronized (RECENT_ED25519) {
                RECENT_ED25519.put(java.nio.ByteBuffer.wrap(encoded.clone()), key);
            }
        }
        return key;
    }

    /** Length of a protobuf-encoded Ed25519 public key: type tag, length, 32 bytes. */
    private static final int ED25519_ENCODED_LENGTH = 36;
    private static final int RECENT_KEYS = 256;
    /**
     * Ed25519 keys decoded lately, by their exact encoding (least recently used out first): a
     * peer's key arrives in its Noise handshake, its identify message and its signed peer
     * record, on every connection, and decoding one takes a square root. The keys are
     * immutable, and only a byte-exact encoding that decoded without fault is kept, so a hit
     * gives what decoding would.
     */
    private static final java.util.Map<java.nio.ByteBuffer, PublicKey> RECENT_ED25519 = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<java.nio.ByteBuffer, PublicKey> eldest) {
            return size() > RECENT_KEYS;
        }
    };

    /** Decodes a protobuf {@code PrivateKey}; throws {@link InvalidKeyException} on any defect. */
    public static PrivateKey unmarshalPrivate(byte[] encoded) {
        Decoded d = decode(encoded, MAX_ENCODED_PRIVATE_KEY);
        return privateFromRaw(d.type, d.data);
    }

    public static PublicKey publicFromRaw(KeyType type, byte[] data) {
        try {
            return switch (type) {
                case ED25519 -> new Ed25519PublicKey(data);
                default -> KeyTypes.publicFromRaw(type, data);
            };
        } catch (InvalidKeyException e) {
            throw e;
        } catch (RuntimeException e) {
            // the last line of defence: key bytes come from peers, and the parsers below use
            // libraries that signal malformed input with assorted unchecked exceptions
            throw new InvalidKeyException(type + " public key: malformed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    public static PrivateKey privateFromRaw(KeyType type, byte[] data) {
        try {
            return switch (type) {
                case ED25519 -> Ed25519PrivateKey.fromRaw(data);
                default -> KeyTypes.privateFromRaw(type, data);
            };
        } catch (InvalidKeyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidKeyException(type + " private key: malformed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** A new key pair of {@code type}: Ed25519, secp256k1, ECDSA P-256 or RSA 2048. */
    public static PrivateKey generate(KeyType type) {
        return KeyTypes.generate(type);
    }

    private record Decoded(KeyType type, byte[] data) {}

    private static Decoded decode(byte[] encoded, int limit) {
        if (encoded == null || encoded.length == 0) throw new InvalidKeyException("key: empty");
        if (encoded.length > limit) throw new InvalidKeyException("key: encoding longer than " + limit + " bytes");
        CodedInputStream in = CodedInputStream.newInstance(encoded);
        Integer type = null;
        byte[] data = null;
        try {
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (tag) {
                    case 8 -> {
                        if (type != null) throw new InvalidKeyException("key: Type field repeated");
                        type = in.readEnum();
                    }
                    case 18 -> {
                        if (data != null) throw new InvalidKeyException("key: Data field repeated");
                        ByteString bs = in.readBytes();
                        data = bs.toByteArray();
                    }
                    default -> throw new InvalidKeyException("key: unexpected protobuf field tag " + tag);
                }
            }
        } catch (IOException e) {
            throw new InvalidKeyException("key: malformed protobuf: " + e.getMessage(), e);
        }
        if (type == null || data == null) throw new InvalidKeyException("key: Type and Data are both required");
        return new Decoded(KeyType.fromNumber(type), data);
    }
}
