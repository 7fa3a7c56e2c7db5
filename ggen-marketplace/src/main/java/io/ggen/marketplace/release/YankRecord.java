package io.ggen.marketplace.release;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.manifest.ManifestParser;
import io.ggen.marketplace.version.Version;
import io.ggen.p2p.crypto.Ed25519PublicKey;
import io.ggen.p2p.crypto.Keys;

/**
 * A signed statement that id@version (bound to cid) should no longer be chosen by resolution.
 * Fields: 1 format, 2 id, 3 version, 4 cid, 5 reason, 6 publisher key, 7 time (unix ms).
 * Yanked releases stay installable when asked for exactly ({@code id@=x.y.z}).
 */
public record YankRecord(String id, String version, ContentId cid, String reason, Ed25519PublicKey publisher, long yankedAtMillis) {
    public static final int FORMAT = 1;
    public static final String TYPE = "ggen/yank/1";

    public byte[] encode() {
        return new CanonicalWriter().uint(1, FORMAT).string(2, id).string(3, version).bytes(4, cid.bytes()).string(5, reason)
                .bytes(6, Keys.marshalPublic(publisher)).uint(7, yankedAtMillis).toBytes();
    }

    public static YankRecord decode(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, "yank record");
        long format = r.uint(1);
        if (format != FORMAT) throw new RecordException("yank record format " + format + " is not supported");
        String id = r.string(2, ManifestParser.MAX_ID);
        String version = r.string(3, Version.MAX_LENGTH);
        ContentId cid = ReleaseRecord.decodeCid(r.bytes(4, 64));
        String reason = r.string(5, ReleaseRecord.MAX_STRING);
        Ed25519PublicKey key = ReleaseRecord.decodeKey(r.bytes(6, 256));
        long at = r.uint(7);
        r.end();
        if (!ManifestParser.isValidId(id) || !Version.isVersion(version)) throw new RecordException("yank record names an invalid id or version");
        return new YankRecord(id, version, cid, reason, key, at);
    }
}
