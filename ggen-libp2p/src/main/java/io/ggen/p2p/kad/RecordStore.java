package io.ggen.p2p.kad;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Records this node stores for others (PUT_VALUE): bounded in count, oldest dropped first;
 * records older than the maximum age are dropped on read and on sweep. Validation and selection
 * happen before {@link #put}; this is storage only.
 */
final class RecordStore {
    private final int max;
    private final Duration maxAge;
    private final LinkedHashMap<String, ValueRecord> records = new LinkedHashMap<>();

    RecordStore(int max, Duration maxAge) {
        this.max = max;
        this.maxAge = maxAge;
    }

    static String id(byte[] key) {
        return HexFormat.of().formatHex(key);
    }

    synchronized Optional<ValueRecord> get(byte[] key, Instant now) {
        ValueRecord r = records.get(id(key));
        if (r == null) return Optional.empty();
        if (r.timeReceived().plus(maxAge).isBefore(now)) {
            records.remove(id(key));
            return Optional.empty();
        }
        return Optional.of(r);
    }

    synchronized void put(ValueRecord r) {
        records.remove(id(r.key()));
        records.put(id(r.key()), r);
        while (records.size() > max) {
            Iterator<Map.Entry<String, ValueRecord>> it = records.entrySet().iterator();
            it.next();
            it.remove();
        }
    }

    synchronized int sweep(Instant now) {
        int before = records.size();
        records.values().removeIf(r -> r.timeReceived().plus(maxAge).isBefore(now));
        return before - records.size();
    }

    synchronized int size() {
        return records.size();
    }
}
