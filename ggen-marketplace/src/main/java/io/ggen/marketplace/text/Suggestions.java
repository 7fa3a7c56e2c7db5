package io.ggen.marketplace.text;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean" for a misspelt key: the known name closest to an unknown one by edit distance,
 * when it is close enough to be a slip of the fingers (at most 2 edits, or a quarter of the
 * name's length for long names). Used by the manifest and the node's configuration alike.
 */
public final class Suggestions {
    /** Longer names are not compared: the distance is quadratic, and no key of ours is that long. */
    static final int MAX_COMPARED_LENGTH = 64;

    private Suggestions() {}

    public static Optional<String> closest(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        // In name order, so a tie gives the same answer on every run (known may be an unordered set).
        for (String k : known.stream().sorted().toList()) {
            int d = distance(unknown, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, unknown.length() / 4) ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance; {@link Integer#MAX_VALUE} for names longer than {@value #MAX_COMPARED_LENGTH}. */
    static int distance(String a, String b) {
        if (a.length() > MAX_COMPARED_LENGTH || b.length() > MAX_COMPARED_LENGTH) return Integer.MAX_VALUE;
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
