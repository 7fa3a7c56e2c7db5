package io.ggen.marketplace.catalog;

import io.ggen.marketplace.manifest.ManifestParser;
import io.ggen.marketplace.release.ReleaseRecord;
import java.sql.SQLException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The search side of the catalog: one row per package ({@code packages}) describing its latest
 * non-yanked release, an FTS5 index over it (external content, bm25 ranking) and exact-match
 * terms (categories, tags, keywords, license) for filters. {@link #refresh} keeps them in step
 * with the releases inside the same transaction; {@link #search} runs one or two SQL queries.
 */
final class SearchIndex {
    /**
     * Ranking a query costs time in proportion to its matches. An unfiltered relevance query
     * with more than this many matches is ranked among its most recently added this-many
     * (FTS5 walks a doclist newest-first and stops there), which keeps latency flat as the
     * catalog grows; such queries are made of words most packages share. 250, not the 1,000 of
     * before: bm25 over the candidates is most of a search's cost, and at 1,000 a search at
     * 100,000 releases took 1.0 ms of CPU at the median, 1.8 ms beside gossip (BENCHMARKS.md).
     */
    static final int RANKED_CANDIDATES = 250;
    private static final Pattern WORD = Pattern.compile("([\\p{L}\\p{N}]+)(\\*?)");

    private volatile int rankedCandidates = RANKED_CANDIDATES;

    /** Tests lower it. */
    void rankedCandidates(int n) {
        rankedCandidates = n;
    }

    /**
     * The packages a batch of releases changed, each refreshed once when the batch's records are
     * in ({@link #refreshAll}), in the batch's transaction. A package's search row depends on all
     * its releases, so refreshing it after each one (a sync page carries several versions of a
     * package, one after the other) read and decoded the same rows again and rewrote its
     * full-text entry each time. Holds at most one id per record of the batch.
     */
    static final class Changed {
        private final java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();

        void add(String id) {
            ids.add(id);
        }

        /** Refreshes every package added since the last call, in the order first changed. */
        void refreshAll(Database.Tx tx) throws SQLException {
            for (String id : ids) refresh(tx, id);
            ids.clear();
        }
    }

    /** Recomputes a package's search row from its latest non-yanked release. */
    static void refresh(Database.Tx tx, String id) throws SQLException {
        List<ReleaseRow> rows = Releases.of(tx, id, false);
        Optional<ReleaseRow> latest = rows.stream().filter(r -> !r.yanked())
                .max(Comparator.comparing((ReleaseRow r) -> !r.record().parsedVersion().isPreRelease()).thenComparing(r -> r.record().parsedVersion()));
        Optional<Long> rowid = tx.first("SELECT rowid, package_id, name, description, keywords, tags FROM packages WHERE package_id = ?", rs -> {
            tx.update("INSERT INTO packages_fts(packages_fts, rowid, package_id, name, description, keywords, tags) VALUES ('delete', ?, ?, ?, ?, ?, ?)",
                    rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6));
            return rs.getLong(1);
        }, id);
        tx.update("DELETE FROM package_terms WHERE package_id = ?", id);
        if (latest.isEmpty()) {
            if (rowid.isPresent()) tx.update("DELETE FROM packages WHERE rowid = ?", rowid.get());
            return;
        }
        ReleaseRecord r = latest.get().record();
        long updated = rows.stream().mapToLong(x -> x.record().publishedAtMillis()).max().orElse(r.publishedAtMillis());
        Object[] values = {id, r.name(), r.description(), String.join(" ", r.keywords()), String.join(" ", r.tags()),
                String.join("\n", r.categories()), String.join("\n", r.authors()), r.license(), r.version(), r.fingerprint(), updated,
                r.cid().toString(), r.size()};
        long row;
        if (rowid.isEmpty()) {
            tx.update("""
                    INSERT INTO packages(package_id, name, description, keywords, tags, categories, authors, license, latest_version, fingerprint,
                      updated_at, cid, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", values);
            row = tx.count("SELECT last_insert_rowid()");
        } else {
            row = rowid.get();
            Object[] args = java.util.Arrays.copyOf(values, values.length + 1);
            args[values.length] = row;
            tx.update("""
                    UPDATE packages SET package_id = ?, name = ?, description = ?, keywords = ?, tags = ?, categories = ?, authors = ?, license = ?,
                      latest_version = ?, fingerprint = ?, updated_at = ?, cid = ?, size = ? WHERE rowid = ?""", args);
        }
        tx.update("INSERT INTO packages_fts(rowid, package_id, name, description, keywords, tags) VALUES (?, ?, ?, ?, ?, ?)",
                row, values[0], values[1], values[2], values[3], values[4]);
        var ins = tx.prepare("INSERT OR IGNORE INTO package_terms(package_id, kind, value) VALUES (?, ?, ?)");
        addTerms(ins, id, "category", r.categories());
        addTerms(ins, id, "tag", r.tags());
        addTerms(ins, id, "keyword", r.keywords());
        addTerms(ins, id, "license", List.of(r.license()));
        ins.executeBatch();
    }

    private static void addTerms(java.sql.PreparedStatement ins, String id, String kind, List<String> values) throws SQLException {
        for (String v : values) {
            ins.setString(1, id);
            ins.setString(2, kind);
            ins.setString(3, v);
            ins.addBatch();
        }
    }

    /**
     * Turns free text into an FTS5 query: each word a quoted term, all required. Words match
     * whole words; a word written with a trailing {@code *} matches as a prefix. (Prefix-matching
     * every word would merge the doclists of every longer word on every query.)
     */
    static String ftsQuery(String text) {
        String norm = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder sb = new StringBuilder();
        Matcher m = WORD.matcher(norm);
        int words = 0;
        while (m.find() && words++ < 16) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append('"').append(m.group(1)).append('"').append(m.group(2));
        }
        return sb.toString();
    }

    private static final String HIT_COLUMNS = "p.package_id, p.latest_version, p.name, p.description, p.license, p.fingerprint, p.keywords, p.tags,"
            + " p.categories, p.authors, p.updated_at, p.cid, p.size";
    /** bm25 weights per column: id 10, name 5, description 1, keywords 3, tags 3. */
    private static final String BM25 = "bm25(packages_fts, 10.0, 5.0, 1.0, 3.0, 3.0)";

    private static final Database.Row<SearchHit> HIT = rs -> new SearchHit(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6), split(rs.getString(7), " "), split(rs.getString(8), " "), split(rs.getString(9), "\n"),
            split(rs.getString(10), "\n"), rs.getLong(11), -rs.getDouble(14), rs.getString(12), rs.getLong(13));

    /**
     * The best matches among the newest candidates, in one statement: the inner query finds the
     * lowest rowid among the newest {@code rankedCandidates} matches (none: rank every match),
     * the middle one ranks only the matches at or above it inside the index, and only the best
     * {@code window} are joined to their package rows. One statement instead of two saves a
     * second parse of the match expression and a second cursor on the index.
     */
    private static final String RANKED = "SELECT " + HIT_COLUMNS + ", f.score FROM (SELECT rowid AS r, " + BM25 + " AS score"
            + " FROM packages_fts WHERE packages_fts MATCH ?1 AND rowid >= coalesce((SELECT rowid FROM packages_fts WHERE packages_fts MATCH ?1"
            + " ORDER BY rowid DESC LIMIT 1 OFFSET ?2), 0) ORDER BY score LIMIT ?3) f JOIN packages p ON p.rowid = f.r ORDER BY f.score, p.package_id";

    List<SearchHit> search(Database.Tx tx, SearchQuery q) throws SQLException {
        String fts = ftsQuery(q.text());
        boolean filtered = q.category() != null || !q.tags().isEmpty() || q.keyword() != null || q.license() != null || q.author() != null;
        if (!fts.isEmpty() && !filtered && q.sort() == SearchQuery.Sort.RELEVANCE) return ranked(tx, q, fts);
        return filteredSearch(tx, q, fts);
    }

    /**
     * Free text alone, by relevance, the common case, kept cheap: bm25 is computed inside the
     * full-text index for the newest {@link #RANKED_CANDIDATES} matches only, and only the best
     * of them are joined to their package rows. The package whose id is the query comes first
     * when it matches, wherever it sits (one more look-up by rowid).
     */
    private List<SearchHit> ranked(Database.Tx tx, SearchQuery q, String fts) throws SQLException {
        int window = (int) Math.min(Integer.MAX_VALUE, (long) q.offset() + q.limit() + 1);
        List<SearchHit> hits = new ArrayList<>(tx.list(RANKED, HIT, fts, rankedCandidates - 1, window));
        String id = q.text().toLowerCase(Locale.ROOT);
        int at = -1;
        for (int i = 0; i < hits.size() && at < 0; i++) if (hits.get(i).id().equals(id)) at = i;
        if (at > 0) {
            hits.add(0, hits.remove(at));
        } else if (at < 0 && ManifestParser.isValidId(id)) {
            // (Text that cannot be a package id, such as two words, needs no look-up.)
            Optional<Long> exact = tx.first("SELECT rowid FROM packages WHERE package_id = ?", rs -> rs.getLong(1), id);
            if (exact.isPresent()) {
                tx.first("SELECT " + HIT_COLUMNS + ", " + BM25 + " FROM packages_fts JOIN packages p ON p.rowid = packages_fts.rowid"
                        + " WHERE packages_fts MATCH ? AND packages_fts.rowid = ?", HIT, fts, exact.get()).ifPresent(h -> hits.add(0, h));
            }
        }
        int from = Math.min(hits.size(), q.offset());
        return List.copyOf(hits.subList(from, Math.min(hits.size(), from + q.limit())));
    }

    private List<SearchHit> filteredSearch(Database.Tx tx, SearchQuery q, String fts) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + HIT_COLUMNS + ", ");
        List<Object> args = new ArrayList<>();
        if (fts.isEmpty()) {
            sql.append("0.0 AS score FROM packages p WHERE 1 = 1");
        } else {
            sql.append(BM25 + " AS score FROM packages_fts JOIN packages p ON p.rowid = packages_fts.rowid WHERE packages_fts MATCH ?");
            args.add(fts);
        }
        if (q.category() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM package_terms t WHERE t.kind = 'category' AND t.value = ? AND t.package_id = p.package_id)");
            args.add(q.category());
        }
        for (String tag : q.tags()) {
            sql.append(" AND EXISTS (SELECT 1 FROM package_terms t WHERE t.kind = 'tag' AND t.value = ? AND t.package_id = p.package_id)");
            args.add(tag);
        }
        if (q.keyword() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM package_terms t WHERE t.kind = 'keyword' AND t.value = ? AND t.package_id = p.package_id)");
            args.add(q.keyword());
        }
        if (q.license() != null) {
            sql.append(" AND p.license = ? COLLATE NOCASE");
            args.add(q.license());
        }
        if (q.author() != null) {
            sql.append(" AND instr(lower(p.authors), lower(?)) > 0");
            args.add(q.author());
        }
        switch (q.sort()) {
            case NAME -> sql.append(" ORDER BY p.package_id");
            case UPDATED -> sql.append(" ORDER BY p.updated_at DESC, p.package_id");
            case RELEVANCE -> {
                sql.append(" ORDER BY (p.package_id = ?) DESC, score, p.package_id");
                args.add(q.text().toLowerCase(Locale.ROOT));
            }
        }
        sql.append(" LIMIT ? OFFSET ?");
        args.add(q.limit());
        args.add(q.offset());
        return tx.list(sql.toString(), HIT, args.toArray());
    }

    private static List<String> split(String s, String sep) {
        return s == null || s.isEmpty() ? List.of() : List.of(s.split(sep));
    }

    static void rebuild(Database.Tx tx) throws SQLException {
        tx.execute("INSERT INTO packages_fts(packages_fts) VALUES ('rebuild')");
    }

    /** Merges the index's segments into one, dropping the entries of deleted rows. */
    static void optimize(Database.Tx tx) throws SQLException {
        tx.execute("INSERT INTO packages_fts(packages_fts) VALUES ('optimize')");
    }

    static boolean intact(Database.Tx tx) {
        try {
            tx.execute("INSERT INTO packages_fts(packages_fts, rank) VALUES ('integrity-check', 1)");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
