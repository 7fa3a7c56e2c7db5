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

    public static String of(PublicKey key) {
        byte[] d = ContentId.sha256().digest(key.marshal());
        return HexFormat.of().formatHex(d, 0, HEX_LENGTH / 2);
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
