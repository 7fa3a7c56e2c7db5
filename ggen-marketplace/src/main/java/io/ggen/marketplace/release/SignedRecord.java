package io.ggen.marketplace.release;

import io.ggen.p2p.crypto.Ed25519Batch;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.Ed25519PublicKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A record with its publisher's Ed25519 signature: {@code SignedRecord{1 type, 2 payload,
 * 3 signature}} in the same canonical encoding. The signature covers a domain-separation prefix,
 * the type and the payload:
 * {@code "ggen-marketplace-record:" || uvarint(len(type)) || type || uvarint(len(payload)) || payload},
 * so a signature over one kind of record can never be replayed as another kind.
 */
public record SignedRecord(String type, byte[] payload, byte[] signature) {
    public static final int MAX_PAYLOAD = 64 * 1024;
    public static final int MAX_ENCODED = MAX_PAYLOAD + 256;
    private static final byte[] DOMAIN = "ggen-marketplace-record:".getBytes(StandardCharsets.US_ASCII);

    public static SignedRecord sign(ReleaseRecord r, Ed25519PrivateKey key) {
        return sign(ReleaseRecord.TYPE, r.encode(), key, r.publisher());
    }

    public static SignedRecord sign(YankRecord r, Ed25519PrivateKey key) {
        return sign(YankRecord.TYPE, r.encode(), key, r.publisher());
    }

    public static SignedRecord sign(PackageHead h, Ed25519PrivateKey key) {
        return sign(PackageHead.TYPE, h.encode(), key, h.owner());
    }

    private static SignedRecord sign(String type, byte[] payload, Ed25519PrivateKey key, Ed25519PublicKey claimed) {
        if (!key.publicKey().equals(claimed)) throw new IllegalArgumentException("the record names a different publisher key than the one signing it");
        return new SignedRecord(type, payload, key.sign(signingInput(type, payload)));
    }

    static byte[] signingInput(String type, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 64);
        out.writeBytes(DOMAIN);
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, t.length);
        out.writeBytes(t);
        writeVarint(out, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    public byte[] encode() {
        return new CanonicalWriter().string(1, type).bytes(2, payload).bytes(3, signature).toBytes();
    }

    public static SignedRecord decode(byte[] bytes) {
        if (bytes.length > MAX_ENCODED) throw new RecordException("signed record longer than " + MAX_ENCODED + " bytes");
        CanonicalReader r = new CanonicalReader(bytes, "signed record");
        String type = r.string(1, 64);
        byte[] payload = r.bytes(2, MAX_PAYLOAD);
        byte[] sig = r.bytes(3, 64);
        r.end();
        if (sig.length != 64) throw new RecordException("signed record: signature must be 64 bytes");
        return new SignedRecord(type, payload, sig);
    }

    private void check(String expected, Ed25519PublicKey key) {
        if (!type.equals(expected)) throw new RecordException("expected a " + expected + " record, got '" + type + "'");
        if (!key.verify(signingInput(type, payload), signature)) throw badSignature();
    }

    /** The refusal of a record whose signature does not verify. */
    public RecordException badSignature() {
        return new RecordException("the " + type + " record's signature does not verify against its publisher key");
    }

    /** Decodes and verifies a release; throws {@link RecordException} if anything is off. */
    public ReleaseRecord openRelease() {
        ReleaseRecord r = decodeRelease();
        check(ReleaseRecord.TYPE, r.publisher());
        return r;
    }

    /**
     * Decodes a release without checking its signature, for a caller that checks many at once
     * ({@link #verifyAll}); throws {@link RecordException} if the record is malformed.
     */
    public ReleaseRecord decodeRelease() {
        if (!type.equals(ReleaseRecord.TYPE)) throw new RecordException("expected a " + ReleaseRecord.TYPE + " record, got '" + type + "'");
        return ReleaseRecord.decode(payload);
    }

    public YankRecord openYank() {
        YankRecord y = decodeYank();
        check(YankRecord.TYPE, y.publisher());
        return y;
    }

    /** Decodes a yank without checking its signature ({@link #decodeRelease}). */
    public YankRecord decodeYank() {
        if (!type.equals(YankRecord.TYPE)) throw new RecordException("expected a " + YankRecord.TYPE + " record, got '" + type + "'");
        return YankRecord.decode(payload);
    }

    /**
     * Checks the signatures of many records under the keys their payloads name, at once
     * ({@link Ed25519Batch}: the same verdicts as one at a time, for about a third of the work).
     * Returns, for each, whether it verifies.
     */
    public static boolean[] verifyAll(List<SignedRecord> records, List<Ed25519PublicKey> keys) {
        List<Ed25519Batch.Item> items = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            SignedRecord r = records.get(i);
            items.add(new Ed25519Batch.Item(keys.get(i), signingInput(r.type, r.payload), r.signature));
        }
        return Ed25519Batch.verifyAll(items);
    }

    public PackageHead openHead() {
        if (!type.equals(PackageHead.TYPE)) throw new RecordException("expected a " + PackageHead.TYPE + " record, got '" + type + "'");
        PackageHead h = PackageHead.decode(payload);
        check(PackageHead.TYPE, h.owner());
        return h;
    }
}
