package io.ggen.p2p.kad;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Records this node stores for others (PUT_VALUE): bounded in count and in bytes, oldest
 * dropped first; records older than the maximum age are dropped on read and on sweep.
 * Validation and selection happen before {@link #put}; this is storage only.
 *
 * <p>The byte bound is there because the count alone is not one: a record's value may be up
 * to {@link KadCodec#MAX_VALUE}, so the default 10,000 records could hold 640 MiB of a node's
 * heap, and anyone may make valid records under keys of their own. {@link #MAX_BYTES} is
 * above what honest use reaches first through the count (a package head is 1-2 KB, so 10,000
 * of them are about 20 MB).
 */
final class RecordStore {
    /** Keys and values held together, at most. */
    static final long MAX_BYTES = 32L << 20;

    private record Stored(ValueRecord record, int bytes) {}

    private final int max;
    private final long maxBytes;
    private final Duration maxAge;
    private final LinkedHashMap<String, Stored> records = new LinkedHashMap<>();
    private long bytes;

    RecordStore(int max, Duration maxAge) {
        this(max, MAX_BYTES, maxAge);
    }

    RecordStore(int max, long maxBytes, Duration maxAge) {
        this.max = max;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
    }

    static String id(byte[] key) {
        return HexFormat.of().formatHex(key);
    }

    synchronized Optional<ValueRecord> get(byte[] key, Instant now) {
        String id = id(key);
        Stored s = records.get(id);
        if (s == null) return Optional.empty();
        if (s.record().timeReceived().plus(maxAge).isBefore(now)) {
            remove(id);
            return Optional.empty();
        }
        return Optional.of(s.record());
    }

    synchronized void put(ValueRecord r) {
        byte[] key = r.key();
        String id = id(key);
        remove(id);
        int size = key.length + r.value().length;
        records.put(id, new Stored(r, size));
        bytes += size;
        while (records.size() > max || bytes > maxBytes) {
            Iterator<Map.Entry<String, Stored>> it = records.entrySet().iterator();
            bytes -= it.next().getValue().bytes();
            it.remove();
        }
    }

    private void remove(String id) {
        Stored old = records.remove(id);
        if (old != null) bytes -= old.bytes();
    }

    synchronized int sweep(Instant now) {
        int before = records.size();
        for (Iterator<Stored> it = records.values().iterator(); it.hasNext(); ) {
            Stored s = it.next();
            if (s.record().timeReceived().plus(maxAge).isBefore(now)) {
                bytes -= s.bytes();
                it.remove();
            }
        }
        return before - records.size();
    }

    synchronized int size() {
        return records.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
