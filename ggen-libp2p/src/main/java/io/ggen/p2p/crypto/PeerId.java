package io.ggen.p2p.crypto;

import io.ggen.p2p.multiformats.Base58;
import io.ggen.p2p.multiformats.Cid;
import io.ggen.p2p.multiformats.Multihash;
import io.ggen.p2p.multiformats.MultiformatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A peer id (libp2p peer-ids spec): the multihash of the protobuf-encoded public key, identity
 * multihash when that encoding is at most 42 bytes (Ed25519, secp256k1), sha2-256 otherwise
 * (RSA, ECDSA). Printed as base58btc ({@code 12D3KooW...}, {@code Qm...}).
 */
public final class PeerId implements Comparable<PeerId> {
    static final int IDENTITY = 0x00;
    static final int SHA2_256 = 0x12;
    /** Keys whose protobuf encoding is longer than this are hashed with sha2-256. */
    public static final int MAX_INLINE_KEY_LENGTH = 42;
    /** Upper bound on a peer id's multihash: identity of a 42-byte key plus its 2-byte header. */
    public static final int MAX_BYTES = 2 + MAX_INLINE_KEY_LENGTH;

    private final byte[] bytes;
    private final int hash;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static PeerId fromPublicKey(PublicKey key) {
        byte[] encoded = key.marshal();
        if (encoded.length <= MAX_INLINE_KEY_LENGTH) {
            byte[] mh = new byte[2 + encoded.length];
            mh[0] = IDENTITY;
            mh[1] = (byte) encoded.length;
            System.arraycopy(encoded, 0, mh, 2, encoded.length);
            return new PeerId(mh);
        }
        byte[] mh = new byte[34];
        mh[0] = SHA2_256;
        mh[1] = 32;
        System.arraycopy(sha256(encoded), 0, mh, 2, 32);
        return new PeerId(mh);
    }

    /** Parses the binary form (a multihash): identity of at most 42 bytes, or sha2-256. */
    public static PeerId fromBytes(byte[] multihash) {
        if (multihash == null || multihash.length < 2 || multihash.length > MAX_BYTES) {
            throw new InvalidKeyException("peer id: not a valid multihash length");
        }
        int code = multihash[0] & 0xff;
        int len = multihash[1] & 0xff;
        if (len != multihash.length - 2) throw new InvalidKeyException("peer id: multihash length field does not match");
        if (code == SHA2_256) {
            if (len != 32) throw new InvalidKeyException("peer id: sha2-256 digest must be 32 bytes");
        } else if (code == IDENTITY) {
            if (len > MAX_INLINE_KEY_LENGTH) throw new InvalidKeyException("peer id: identity multihash longer than 42 bytes");
            try {
                Keys.unmarshalPublic(Arrays.copyOfRange(multihash, 2, multihash.length));
            } catch (InvalidKeyException e) {
                throw new InvalidKeyException("peer id: inline key is invalid: " + e.getMessage(), e);
            }
        } else {
            throw new InvalidKeyException("peer id: multihash code 0x" + Integer.toHexString(code) + " is neither identity nor sha2-256");
        }
        return new PeerId(multihash.clone());
    }

    /**
     * Parses the text form: base58btc ({@code 12D3KooW...}, {@code Qm...}) or a CIDv1 with the
     * libp2p-key codec in any supported multibase ({@code bafz...}).
     */
    public static PeerId fromString(String text) {
        if (text == null || text.isEmpty()) throw new InvalidKeyException("peer id: empty");
        if (text.length() > 128) throw new InvalidKeyException("peer id: too long to be a peer id");
        char c = text.charAt(0);
        if (c == '1' || c == 'Q') {
            try {
                return fromBytes(Base58.decode(text));
            } catch (MultiformatException e) {
                throw new InvalidKeyException("peer id: " + e.getMessage(), e);
            }
        }
        return PeerIdCid.parse(text);
    }

    /** The public key, when it is inlined in the id (identity multihash). */
    public Optional<PublicKey> publicKey() {
        if ((bytes[0] & 0xff) != IDENTITY) return Optional.empty();
        return Optional.of(Keys.unmarshalPublic(Arrays.copyOfRange(bytes, 2, bytes.length)));
    }

    /** True when this id is the one derived from {@code key}. */
    public boolean matches(PublicKey key) {
        return equals(fromPublicKey(key));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toBase58() {
        return Base58.encode(bytes);
    }

    /** The CIDv1 form (codec libp2p-key), as in {@code bafz...}. */
    public Cid toCid() {
        return Cid.v1(Cid.LIBP2P_KEY, Multihash.fromBytes(bytes));
    }

    /** The CIDv1 text form in base32 ({@code bafz...}), which the spec says to accept everywhere. */
    public String toCidString() {
        return toCid().toString();
    }

    @Override
    public String toString() {
        return toBase58();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(PeerId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
