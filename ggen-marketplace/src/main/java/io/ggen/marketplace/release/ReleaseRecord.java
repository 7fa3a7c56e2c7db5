package io.ggen.marketplace.release;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.keys.Fingerprint;
import io.ggen.marketplace.manifest.GpackManifest;
import io.ggen.marketplace.manifest.ManifestParser;
import io.ggen.marketplace.version.Version;
import io.ggen.marketplace.version.VersionException;
import io.ggen.marketplace.version.VersionReq;
import io.ggen.p2p.crypto.Ed25519PublicKey;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a publisher signs when releasing id@version: the archive's CID and size, a summary of
 * the manifest (for search without the archive), the dependencies, the publisher's key and the
 * time. Encoded canonically (see docs/marketplace.md, "Record encoding"); field numbers below.
 */
public record ReleaseRecord(
        String id, // 2
        String version, // 3
        ContentId cid, // 4
        long size, // 5
        String name, // 6
        String description, // 7
        String license, // 8
        String ggenCompat, // 9
        SortedMap<String, String> dependencies, // 10 (repeated Dependency{1 id, 2 range}, by id)
        List<String> authors, // 11
        List<String> keywords, // 12
        List<String> categories, // 13
        List<String> tags, // 14
        String homepage, // 15
        String repository, // 16
        Ed25519PublicKey publisher, // 17 (libp2p protobuf PublicKey)
        long publishedAtMillis) { // 18
    public static final int FORMAT = 1; // field 1
    public static final String TYPE = "ggen/release/1";
    static final int MAX_STRING = 4096;
    static final int MAX_LIST = 256;

    public ReleaseRecord {
        dependencies = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dependencies));
        authors = List.copyOf(authors);
        keywords = List.copyOf(keywords);
        categories = List.copyOf(categories);
        tags = List.copyOf(tags);
    }

    public static ReleaseRecord of(GpackManifest m, Version version, ContentId cid, long size, Ed25519PublicKey publisher, long now) {
        SortedMap<String, String> deps = new TreeMap<>();
        for (Map.Entry<String, VersionReq> d : m.dependencies().entrySet()) deps.put(d.getKey(), d.getValue().toString());
        GpackManifest.Gpack g = m.gpack();
        return new ReleaseRecord(g.id(), version.toString(), cid, size, g.name(), g.description(), g.license(), g.ggenCompat().toString(), deps,
                g.authors(), g.keywords(), g.categories(), g.tags(), g.homepage(), g.repository(), publisher, now);
    }

    public Version parsedVersion() {
        return Version.parse(version);
    }

    public String fingerprint() {
        return Fingerprint.of(publisher);
    }

    public Map<String, VersionReq> parsedDependencies() {
        Map<String, VersionReq> out = new TreeMap<>();
        dependencies.forEach((k, v) -> out.put(k, VersionReq.parse(v)));
        return out;
    }

    public byte[] encode() {
        List<byte[]> deps = new ArrayList<>();
        dependencies.forEach((k, v) -> deps.add(new CanonicalWriter().string(1, k).string(2, v).toBytes()));
        return new CanonicalWriter().uint(1, FORMAT).string(2, id).string(3, version).bytes(4, cid.bytes()).uint(5, size)
                .string(6, name).string(7, description).string(8, license).string(9, ggenCompat).messages(10, deps)
                .strings(11, authors).strings(12, keywords).strings(13, categories).strings(14, tags)
                .string(15, homepage).string(16, repository).bytes(17, Keys.marshalPublic(publisher)).uint(18, publishedAtMillis).toBytes();
    }

    public static ReleaseRecord decode(byte[] bytes) {
        if (bytes.length > SignedRecord.MAX_PAYLOAD) throw new RecordException("release record longer than " + SignedRecord.MAX_PAYLOAD + " bytes");
        CanonicalReader r = new CanonicalReader(bytes, "release record");
        long format = r.uint(1);
        if (format != FORMAT) throw new RecordException("release record format " + format + " is not supported (this ggen reads format " + FORMAT + ")");
        String id = r.string(2, ManifestParser.MAX_ID);
        String version = r.string(3, Version.MAX_LENGTH);
        ContentId cid = decodeCid(r.bytes(4, 64));
        long size = r.uint(5);
        String name = r.string(6, MAX_STRING);
        String description = r.string(7, MAX_STRING);
        String license = r.string(8, MAX_STRING);
        String compat = r.string(9, VersionReq.MAX_LENGTH);
        SortedMap<String, String> deps = new TreeMap<>();
        String previous = null;
        for (byte[] d : r.repeated(10, 2 * MAX_STRING, MAX_LIST)) {
            CanonicalReader dr = new CanonicalReader(d, "release record dependency");
            String depId = dr.string(1, ManifestParser.MAX_ID);
            String range = dr.string(2, VersionReq.MAX_LENGTH);
            dr.end();
            if (previous != null && previous.compareTo(depId) >= 0) throw new RecordException("release record dependencies are not sorted by id");
            previous = depId;
            deps.put(depId, range);
        }
        List<String> authors = r.strings(11, MAX_STRING, MAX_LIST);
        List<String> keywords = r.strings(12, MAX_STRING, MAX_LIST);
        List<String> categories = r.strings(13, MAX_STRING, MAX_LIST);
        List<String> tags = r.strings(14, MAX_STRING, MAX_LIST);
        String homepage = emptyToNull(r.string(15, MAX_STRING));
        String repository = emptyToNull(r.string(16, MAX_STRING));
        Ed25519PublicKey key = decodeKey(r.bytes(17, 256));
        long at = r.uint(18);
        r.end();
        ReleaseRecord rec = new ReleaseRecord(id, version, cid, size, name, description, license, compat, deps, authors, keywords, categories, tags, homepage, repository, key, at);
        rec.validate();
        return rec;
    }

    /** Checks the rules a manifest would have checked; records from others may skip them. */
    public void validate() {
        if (!ManifestParser.isValidId(id)) throw new RecordException("release record id '" + id + "' is not a valid gpack id");
        try {
            Version.parse(version);
            VersionReq.parse(ggenCompat);
            for (Map.Entry<String, String> d : dependencies.entrySet()) {
                if (!ManifestParser.isValidId(d.getKey())) throw new RecordException("release record dependency id '" + d.getKey() + "' is invalid");
                VersionReq.parse(d.getValue());
            }
        } catch (VersionException e) {
            throw new RecordException("release record " + id + ": " + e.getMessage());
        }
        if (name.isEmpty() || description.isEmpty() || license.isEmpty()) throw new RecordException("release record " + id + "@" + version + " lacks name, description or license");
        if (size <= 0) throw new RecordException("release record " + id + "@" + version + " has no size");
    }

    static ContentId decodeCid(byte[] b) {
        try {
            return ContentId.fromBytes(b);
        } catch (RuntimeException e) {
            throw new RecordException("record holds an invalid content id");
        }
    }

    /**
     * Decoded publisher keys by encoding: decoding checks the point (a square root), as costly as
     * verifying a signature, and a catalog holds few publishers and many releases. LRU-bounded.
     */
    private static final Map<java.nio.ByteBuffer, Ed25519PublicKey> KEYS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<java.nio.ByteBuffer, Ed25519PublicKey> e) {
                    return size() > 1024;
                }
            });

    static Ed25519PublicKey decodeKey(byte[] b) {
        Ed25519PublicKey cached = KEYS.get(java.nio.ByteBuffer.wrap(b));
        if (cached != null) return cached;
        Ed25519PublicKey k = decodeKeyUncached(b);
        KEYS.put(java.nio.ByteBuffer.wrap(b.clone()), k);
        return k;
    }

    private static Ed25519PublicKey decodeKeyUncached(byte[] b) {
        try {
            PublicKey k = Keys.unmarshalPublic(b);
            if (k instanceof Ed25519PublicKey e) return e;
            throw new RecordException("record publisher key is not Ed25519");
        } catch (IllegalArgumentException e) {
            throw new RecordException("record publisher key is malformed: " + e.getMessage());
        }
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    public String coordinates() {
        return id + "@" + version;
    }
}
