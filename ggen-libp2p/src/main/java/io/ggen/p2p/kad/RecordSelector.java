package io.ggen.p2p.kad;

import java.util.List;

/** Picks the best of several valid records for one key. */
@FunctionalInterface
public interface RecordSelector {
    /** Index of the best value in {@code values} (never empty). */
    int select(byte[] key, List<byte[]> values);

    /** The first value: for namespaces where all valid values are equal, such as /pk/. */
    RecordSelector FIRST = (key, values) -> 0;

    /** The lexicographically greatest value (as js's reference peer does for tests). */
    RecordSelector GREATEST = (key, values) -> {
        int best = 0;
        for (int i = 1; i < values.size(); i++) if (java.util.Arrays.compareUnsigned(values.get(i), values.get(best)) > 0) best = i;
        return best;
    };
}
