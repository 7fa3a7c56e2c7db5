package io.ggen.marketplace.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How many packages hold each query term, as last counted: bm25's IDF needs it, and counting it
 * means reading the term's whole list of rows in the index (for a common word, tens of thousands:
 * the longest part of a slow search). A count is reused until the catalog's package count has
 * moved by more than 1% from when it was taken, or for {@link #MAX_AGE_NANOS} at most (updates
 * change counts without changing the number of packages). Within those bounds an IDF moves by
 * a fraction of a percent (about 0.2% for a term held by 1% of the packages), so only scores that
 * were nearly tied can swap. Bounded: the least recently used of {@link #CAPACITY} terms
 * are forgotten first. Safe for concurrent readers.
 */
final class DocFrequencies {
    static final int CAPACITY = 8192;
    static final long MAX_AGE_NANOS = 10_000_000_000L;

    private record Count(long hits, long rows, long at) {}

    private final LongSupplier clock;
    private final Map<String, Count> counts = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Count> eldest) {
            return size() > CAPACITY;
        }
    };

    DocFrequencies(LongSupplier clock) {
        this.clock = clock;
    }

    /** The count for this term (its FTS5 phrase) if one taken at about {@code rows} packages is still fresh; else -1. */
    synchronized long get(String phrase, long rows) {
        Count c = counts.get(phrase);
        if (c == null) return -1;
        if (Math.abs(rows - c.rows()) * 100 > c.rows() || clock.getAsLong() - c.at() > MAX_AGE_NANOS) {
            counts.remove(phrase);
            return -1;
        }
        return c.hits();
    }

    synchronized void put(String phrase, long rows, long hits) {
        counts.put(phrase, new Count(hits, rows, clock.getAsLong()));
    }

    synchronized void clear() {
        counts.clear();
    }

    synchronized int size() {
        return counts.size();
    }
}
