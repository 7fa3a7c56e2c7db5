package io.ggen.p2p.kad;

import io.ggen.p2p.crypto.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * A point in the 256-bit Kademlia key space: SHA-256 of a record key, a CID's multihash or a
 * peer id's bytes, as the spec defines it. Distance is XOR, compared as an unsigned big-endian
 * integer.
 */
public final class KadKey {
    public static final int BITS = 256;
    private final byte[] hash;

    private KadKey(byte[] hash) {
        this.hash = hash;
    }

    public static KadKey of(byte[] key) {
        try {
            return new KadKey(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KadKey of(PeerId peer) {
        return of(peer.toBytes());
    }

    /** A key given by its 32 hash bytes (the simulation and tests choose points directly). */
    public static KadKey fromHash(byte[] hash) {
        if (hash.length != 32) throw new IllegalArgumentException("a key hash has 32 bytes");
        return new KadKey(hash.clone());
    }

    /** Number of leading bits this key shares with the other (256 when equal). */
    public int commonPrefixLength(KadKey other) {
        for (int i = 0; i < 32; i++) {
            int x = (hash[i] ^ other.hash[i]) & 0xff;
            if (x != 0) return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
        }
        return BITS;
    }

    /** Compares the distances of a and b to this key: negative when a is closer. */
    public int compareDistance(KadKey a, KadKey b) {
        for (int i = 0; i < 32; i++) {
            int da = (a.hash[i] ^ hash[i]) & 0xff;
            int db = (b.hash[i] ^ hash[i]) & 0xff;
            if (da != db) return Integer.compare(da, db);
        }
        return 0;
    }

    public Comparator<KadKey> byDistance() {
        return this::compareDistance;
    }

    /** A key at exactly the given common prefix length from this one, the rest random (bucket refresh). */
    public KadKey randomAtPrefix(int cpl, java.util.random.RandomGenerator random) {
        if (cpl < 0 || cpl >= BITS) throw new IllegalArgumentException("cpl " + cpl);
        byte[] r = new byte[32];
        random.nextBytes(r);
        byte[] out = hash.clone();
        for (int bit = cpl; bit < BITS; bit++) {
            int i = bit / 8;
            int mask = 0x80 >>> (bit % 8);
            if (bit == cpl) out[i] = (byte) (out[i] ^ mask);
            else out[i] = (byte) ((out[i] & ~mask) | (r[i] & mask));
        }
        return new KadKey(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KadKey k && Arrays.equals(hash, k.hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(hash, 0, 8);
    }
}
