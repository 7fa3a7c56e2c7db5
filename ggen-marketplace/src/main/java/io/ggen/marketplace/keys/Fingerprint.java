package io.ggen.marketplace.keys;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.p2p.crypto.PublicKey;
import java.util.HexFormat;

/**
 * How a publisher key is shown and typed: the first 16 bytes of SHA-256 over the key's libp2p
 * protobuf encoding, as 32 lower-case hex characters. Short enough to compare by eye, long
 * enough (128 bits) not to collide; ownership itself always compares whole keys.
 */
public final class Fingerprint {
    public static final int HEX_LENGTH = 32;

    private Fingerprint() {}

    /**
     * Fingerprints by key: a catalog holds few publishers and many releases, and each release
     * stored, checked or indexed asks for its publisher's. Keyed by the encoding the fingerprint
     * hashes (two equal ECDSA keys may be encoded two ways). LRU-bounded.
     */
    private static final java.util.Map<java.nio.ByteBuffer, String> CACHE = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<java.nio.ByteBuffer, String> e) {
                    return size() > 1024;
                }
            });

    public static String of(PublicKey key) {
        byte[] encoded = key.marshal();
        java.nio.ByteBuffer k = java.nio.ByteBuffer.wrap(encoded);
        String cached = CACHE.get(k);
        if (cached != null) return cached;
        byte[] d = ContentId.sha256().digest(encoded);
        String f = HexFormat.of().formatHex(d, 0, HEX_LENGTH / 2);
        CACHE.put(k, f);
        return f;
    }

    /** Checks user input and returns it in canonical (lower-case) form. */
    public static String parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT).replace(":", "");
        if (t.length() != HEX_LENGTH || !t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new MarketplaceException(MarketplaceException.Kind.USAGE, "'" + text + "' is not a key fingerprint (expected " + HEX_LENGTH
                    + " hex characters, as shown by 'ggen marketplace key list' and 'info')");
        }
        return t;
    }
}
