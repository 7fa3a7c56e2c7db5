package io.ggen.marketplace.content;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.p2p.multiformats.Cid;
import io.ggen.p2p.multiformats.MultiformatException;
import io.ggen.p2p.multiformats.Multihash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The address of a package archive: a CIDv1 with the raw codec (0x55) and a sha2-256 multihash
 * (0x12, 32 bytes), printed in multibase base32 (RFC 4648 lower case, no padding, prefix 'b'),
 * so it starts with {@code bafkrei}. On input {@code sha256:<64 hex>} is accepted too.
 *
 * <p>The encoding is ggen-libp2p's {@link Cid}; this type narrows it to the one kind of CID a
 * package archive may have, with the marketplace's error kinds.
 */
public final class ContentId implements Comparable<ContentId> {
    private static final HexFormat HEX = HexFormat.of();
    /** Longest text accepted, checked before parsing. */
    public static final int MAX_TEXT = 128;

    private final byte[] digest;
    private final Cid cid;
    /** The text form, made on first use: a synced release prints its CID several times (rows, index, providers). */
    private String text;

    private ContentId(byte[] digest) {
        this.digest = digest;
        this.cid = Cid.v1(Cid.RAW, Multihash.of(Multihash.SHA2_256, digest));
    }

    public static ContentId ofDigest(byte[] sha256) {
        if (sha256.length != 32) throw new IllegalArgumentException("sha2-256 digest must be 32 bytes");
        return new ContentId(sha256.clone());
    }

    public static ContentId of(byte[] content) {
        return new ContentId(sha256().digest(content));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The binary CID: 0x01 0x55 0x12 0x20 followed by the digest. */
    public byte[] bytes() {
        return cid.toBytes();
    }

    public static ContentId fromBytes(byte[] bytes) {
        try {
            return of(Cid.fromBytes(bytes));
        } catch (MultiformatException e) {
            throw new MarketplaceException(MarketplaceException.Kind.INVALID,
                    "not a CIDv1 raw sha2-256 content id (expected bytes 01 55 12 20 + 32-byte digest): " + e.getMessage());
        }
    }

    /** The content id of a CID, which must be CIDv1, raw codec, sha2-256. */
    public static ContentId of(Cid cid) {
        if (cid.version() != 1 || cid.codec() != Cid.RAW || cid.multihash().code() != Multihash.SHA2_256
                || cid.multihash().digestLength() != 32) {
            throw new MarketplaceException(MarketplaceException.Kind.INVALID, "not a CIDv1 raw sha2-256 content id: " + cid);
        }
        return new ContentId(cid.multihash().digest());
    }

    public Cid cid() {
        return cid;
    }

    public byte[] digest() {
        return digest.clone();
    }

    public String hex() {
        return HEX.formatHex(digest);
    }

    /** Parses a CIDv1 raw sha2-256 in any multibase ({@code bafkrei...}) or {@code sha256:<hex>}. */
    public static ContentId parse(String text) {
        if (text == null || text.isEmpty()) throw bad(text, "empty");
        if (text.length() > MAX_TEXT) throw bad(text.substring(0, 16) + "...", "too long");
        Cid parsed;
        try {
            parsed = Cid.parseContentId(text);
        } catch (MultiformatException e) {
            throw bad(text, e.getMessage() + "; expected bafk... (CIDv1) or sha256:<64 hex digits>");
        }
        try {
            return of(parsed);
        } catch (MarketplaceException e) {
            throw bad(text, "not a CIDv1 with raw codec and sha2-256");
        }
    }

    private static MarketplaceException bad(String text, String why) {
        return new MarketplaceException(MarketplaceException.Kind.USAGE, "invalid content id '" + text + "': " + why);
    }

    /** base32 CIDv1, e.g. {@code bafkrei...}. */
    @Override
    public String toString() {
        String t = text;
        if (t == null) text = t = cid.toString();
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentId other && Arrays.equals(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public int compareTo(ContentId o) {
        return Arrays.compareUnsigned(digest, o.digest);
    }
}
