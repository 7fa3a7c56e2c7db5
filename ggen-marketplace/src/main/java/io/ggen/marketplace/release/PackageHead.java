package io.ggen.marketplace.release;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.manifest.ManifestParser;
import io.ggen.marketplace.version.Version;
import io.ggen.p2p.crypto.Ed25519PublicKey;
import io.ggen.p2p.crypto.Keys;
import java.util.ArrayList;
import java.util.List;

/**
 * The signed head of a package, the value the DHT keeps under {@code /ggen/pkg/<id>}: owner
 * key, a sequence number (a selector keeps the highest from the owner), and every version with
 * its CID and yank flag, sorted by version precedence. Fields: 1 format, 2 id, 3 owner key,
 * 4 sequence, 5 repeated Entry{1 version, 2 cid, 3 yanked}, 6 time (unix ms).
 */
public record PackageHead(String id, Ed25519PublicKey owner, long sequence, List<Entry> versions, long updatedAtMillis) {
    public static final int FORMAT = 1;
    public static final String TYPE = "ggen/head/1";
    static final int MAX_VERSIONS = 4096;

    public record Entry(String version, ContentId cid, boolean yanked) {}

    public PackageHead {
        List<Entry> sorted = new ArrayList<>(versions);
        sorted.sort((a, b) -> Version.parse(a.version).compareTo(Version.parse(b.version)));
        versions = List.copyOf(sorted);
    }

    public byte[] encode() {
        List<byte[]> entries = new ArrayList<>();
        for (Entry e : versions) entries.add(new CanonicalWriter().string(1, e.version).bytes(2, e.cid.bytes()).bool(3, e.yanked).toBytes());
        return new CanonicalWriter().uint(1, FORMAT).string(2, id).bytes(3, Keys.marshalPublic(owner)).uint(4, sequence)
                .messages(5, entries).uint(6, updatedAtMillis).toBytes();
    }

    public static PackageHead decode(byte[] bytes) {
        if (bytes.length > SignedRecord.MAX_PAYLOAD) throw new RecordException("package head longer than " + SignedRecord.MAX_PAYLOAD + " bytes");
        CanonicalReader r = new CanonicalReader(bytes, "package head");
        long format = r.uint(1);
        if (format != FORMAT) throw new RecordException("package head format " + format + " is not supported");
        String id = r.string(2, ManifestParser.MAX_ID);
        Ed25519PublicKey owner = ReleaseRecord.decodeKey(r.bytes(3, 256));
        long seq = r.uint(4);
        List<Entry> entries = new ArrayList<>();
        Version prev = null;
        for (byte[] b : r.repeated(5, 512, MAX_VERSIONS)) {
            CanonicalReader er = new CanonicalReader(b, "package head entry");
            String v = er.string(1, Version.MAX_LENGTH);
            ContentId cid = ReleaseRecord.decodeCid(er.bytes(2, 64));
            boolean yanked = er.bool(3);
            er.end();
            if (!Version.isVersion(v)) throw new RecordException("package head has an invalid version '" + v + "'");
            Version pv = Version.parse(v);
            if (prev != null && prev.compareTo(pv) >= 0) throw new RecordException("package head versions are not sorted by precedence");
            prev = pv;
            entries.add(new Entry(v, cid, yanked));
        }
        long at = r.uint(6);
        r.end();
        if (!ManifestParser.isValidId(id)) throw new RecordException("package head id '" + id + "' is invalid");
        return new PackageHead(id, owner, seq, entries, at);
    }
}
