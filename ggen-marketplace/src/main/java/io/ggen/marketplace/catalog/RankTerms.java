package io.ggen.marketplace.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What bm25 needs to know of one package, kept beside its search row ({@code packages_rank}) so a
 * search can rank its candidates without FTS5's {@code bm25()}: the row's length in tokens and,
 * for each distinct token, its frequency weighted by the column it occurs in.
 *
 * <p>Why: {@code bm25()} counts, on every query, every row of the whole index that holds each
 * query term (its IDF), then reads each candidate's position lists and size. At 100,000 releases
 * that was three quarters of a search's time, and for a common word most of a slow search
 * (BENCHMARKS.md, round ten). With these vectors a search reads one short text per candidate and
 * takes the term counts from {@link DocFrequencies}.
 *
 * <p>The score is FTS5's bm25 (k1 1.2, b 0.75, an IDF clamped at 1e-6), the same formula in the
 * same order, so equal up to floating-point rounding (a test holds them to 1e-9), because the
 * tokens are FTS5's own: text of ASCII alone is split here as {@code unicode61} splits it
 * (runs of letters and digits, lower-cased: nothing else in ASCII is part of a token), and text
 * with any other character is given to FTS5's tokenizer itself ({@link SearchIndex}). A rebuild
 * of the vectors also checks each one's token count per column against FTS5's ({@code
 * packages_fts_docsize}) and leaves out any that differs.
 * Query terms are matched here only when they are ASCII; a query with another character in a
 * word is ranked by {@code bm25()}, whose folding of it this class does not model.
 *
 * <p>Encoding, one line: {@code <package id> <tokens in the row> <token>:<weighted frequency> ...}.
 * Neither a token nor a package id holds a space, a colon or a newline.
 */
final class RankTerms {
    /** bm25 weights of the indexed columns, in {@code packages_fts}'s order: id, name, description, keywords, tags. */
    static final int[] WEIGHTS = {10, 5, 1, 3, 3};
    static final int COLUMNS = WEIGHTS.length;
    static final double K1 = 1.2;
    static final double B = 0.75;

    private RankTerms() {}

    /** Receives tokens. */
    @FunctionalInterface
    interface TokenSink {
        void token(String token);
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    /** Splits ASCII text as {@code unicode61} does: runs of letters and digits, lower-cased. */
    static void asciiTokens(String text, TokenSink sink) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && !isAsciiTokenChar(text.charAt(i))) i++;
            int start = i;
            while (i < n && isAsciiTokenChar(text.charAt(i))) i++;
            if (i > start) sink.token(lower(text, start, i));
        }
    }

    private static String lower(String text, int from, int to) {
        boolean upper = false;
        for (int i = from; i < to && !upper; i++) upper = text.charAt(i) <= 'Z' && text.charAt(i) >= 'A';
        if (!upper) return text.substring(from, to);
        char[] out = new char[to - from];
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            out[i - from] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return new String(out);
    }

    private static boolean isAsciiTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Collects one row's tokens, column by column, into its vector. */
    static final class Builder {
        private final Map<String, Integer> weighted = new java.util.LinkedHashMap<>();
        private final long[] counts = new long[COLUMNS];

        void add(int column, String token) {
            if (column < 0 || column >= COLUMNS || token.isEmpty()) return;
            counts[column]++;
            weighted.merge(token, WEIGHTS[column], Integer::sum);
        }

        /**
         * The vector, or null when a token or the id could not be written unambiguously, or when
         * FTS5's counts per column are given ({@code ftsSizes}, the row's docsize record; a
         * rebuild checks them) and differ.
         */
        String encode(String id, long[] ftsSizes, boolean check) {
            if (check && (ftsSizes == null || ftsSizes.length != COLUMNS || !java.util.Arrays.equals(counts, ftsSizes))) return null;
            if (id == null || id.isEmpty() || !plain(id)) return null;
            long total = 0;
            for (long c : counts) total += c;
            StringBuilder sb = new StringBuilder(id.length() + 16 + weighted.size() * 10);
            sb.append(id).append(' ').append(total);
            for (Map.Entry<String, Integer> e : weighted.entrySet()) {
                if (!plain(e.getKey())) return null;
                sb.append(' ').append(e.getKey()).append(':').append(e.getValue());
            }
            return sb.toString();
        }

        private static boolean plain(String s) {
            return s.indexOf(' ') < 0 && s.indexOf(':') < 0 && s.indexOf('\n') < 0;
        }
    }

    /** One query term: its folded form, and whether it matches as a prefix. */
    record Term(String folded, boolean prefix) {
        /** The term of an FTS5 phrase of one word ({@code "word"} or {@code "word"*}); null unless the word is ASCII. */
        static Term of(String phrase) {
            boolean prefix = phrase.endsWith("*");
            String word = phrase.substring(1, phrase.length() - (prefix ? 2 : 1));
            if (word.isEmpty() || !isAscii(word)) return null;
            return new Term(word.toLowerCase(java.util.Locale.ROOT), prefix);
        }
    }

    /** One candidate, scored. */
    record Scored(long rowid, String id, double score) {}

    /**
     * Scores candidates from their vectors as FTS5's bm25 would: {@code vectors} holds one line per
     * candidate, {@code <rowid> <vector>}, lines separated by a newline. Null when a line is
     * malformed or lacks one of the terms (every candidate matched every term in the index, so a
     * vector without one was tokenized otherwise: bm25 must rank this query).
     *
     * <p>Each term is looked for in the whole text at once ({@code " term:"}, or {@code " prefix"}
     * for a prefix), each hit credited to the line that holds it: a few intrinsic searches over
     * the text instead of a comparison per token and term.
     */
    static List<Scored> rank(String vectors, Term[] terms, double[] idf, double averageTokens) {
        int n = 0;
        for (int i = vectors.indexOf('\n'); i >= 0; i = vectors.indexOf('\n', i + 1)) n++;
        n++;
        int[] tokensAt = new int[n];
        int[] ends = new int[n];
        long[] rowids = new long[n];
        String[] ids = new String[n];
        int[] lengths = new int[n];
        int line = 0;
        for (int start = 0; line < n; line++) {
            int end = vectors.indexOf('\n', start);
            if (end < 0) end = vectors.length();
            int s1 = vectors.indexOf(' ', start);
            int s2 = s1 < 0 ? -1 : vectors.indexOf(' ', s1 + 1);
            int s3 = s2 < 0 ? -1 : vectors.indexOf(' ', s2 + 1);
            if (s1 <= start || s3 < 0 || s3 >= end) return null;
            try {
                rowids[line] = Long.parseLong(vectors, start, s1, 10);
            } catch (NumberFormatException e) {
                return null;
            }
            lengths[line] = parseInt(vectors, s2 + 1, s3);
            if (lengths[line] <= 0) return null;
            ids[line] = vectors.substring(s1 + 1, s2);
            tokensAt[line] = s3; // the space before the first token
            ends[line] = end;
            start = end + 1;
        }
        double[][] freq = new double[terms.length][n];
        for (int k = 0; k < terms.length; k++) {
            String pattern = terms[k].prefix() ? " " + terms[k].folded() : " " + terms[k].folded() + ":";
            int at = 0;
            int l = 0;
            while ((at = vectors.indexOf(pattern, at)) >= 0) {
                while (l < n - 1 && at >= ends[l]) l++;
                if (at >= tokensAt[l]) {
                    int colon = vectors.indexOf(':', at + 1);
                    if (colon < 0 || colon > ends[l]) return null;
                    int next = vectors.indexOf(' ', colon);
                    if (next < 0 || next > ends[l]) next = ends[l];
                    int weight = parseInt(vectors, colon + 1, next);
                    if (weight < 0) return null;
                    freq[k][l] += weight;
                }
                at += pattern.length();
            }
        }
        List<Scored> out = new ArrayList<>(n);
        double[] f = new double[terms.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < terms.length; k++) {
                f[k] = freq[k][i];
                if (f[k] <= 0) return null;
            }
            out.add(new Scored(rowids[i], ids[i], score(idf, f, lengths[i], averageTokens)));
        }
        return out;
    }

    /** A non-negative decimal of at most 9 digits, or -1. */
    static int parseInt(String s, int from, int to) {
        if (to <= from || to - from > 9) return -1;
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** FTS5's inverse document frequency of a term held by {@code hits} of {@code rows} rows. */
    static double idf(long rows, long hits) {
        double idf = Math.log((rows - hits + 0.5) / (hits + 0.5));
        return idf <= 0.0 ? 1e-6 : idf;
    }

    /** bm25 of one row, FTS5's sum in FTS5's order (a positive number: larger is better). */
    static double score(double[] idf, double[] freq, double rowTokens, double averageTokens) {
        double score = 0.0;
        for (int k = 0; k < idf.length; k++) {
            score += idf[k] * (freq[k] * (K1 + 1.0)) / (freq[k] + K1 * (1 - B + B * rowTokens / averageTokens));
        }
        return score;
    }

    /**
     * Reads {@code count} SQLite varints (FTS5's docsize and averages records), or null when the
     * blob ends early or a value exceeds what a token count can be.
     */
    static long[] varints(byte[] blob, int count) {
        if (blob == null) return null;
        long[] out = new long[count];
        int p = 0;
        for (int k = 0; k < count; k++) {
            long v = 0;
            int i = 0;
            while (true) {
                if (p >= blob.length) return null;
                int b = blob[p++] & 0xff;
                if (i == 8) {
                    v = (v << 8) | b;
                    break;
                }
                v = (v << 7) | (b & 0x7f);
                i++;
                if ((b & 0x80) == 0) break;
            }
            if (v < 0 || v > (1L << 48)) return null;
            out[k] = v;
        }
        return out;
    }
}
