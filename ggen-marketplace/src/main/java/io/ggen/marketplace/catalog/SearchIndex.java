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
    private final DocFrequencies frequencies = new DocFrequencies(System::nanoTime);
    private final java.util.concurrent.atomic.AtomicLong rankedByVectors = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong rankedByBm25 = new java.util.concurrent.atomic.AtomicLong();

    /** Tests lower it. */
    void rankedCandidates(int n) {
        rankedCandidates = n;
    }

    private volatile boolean rankWithVectors = true;

    /** Tests turn the vectors off to compare with {@code bm25()}. */
    void rankWithVectors(boolean on) {
        rankWithVectors = on;
    }

    /**
     * The packages a batch of releases changed, each refreshed once when the batch's records are
     * in ({@link #refreshAll}), in the batch's transaction. A package's search row depends on all
     * its releases, so refreshing it after each one (a sync page carries several versions of a
     * package, one after the other) read and decoded the same rows again and rewrote its
     * full-text entry each time. Holds at most one id per record of the batch.
     */
    static final class Changed {
        /** Per package id, its releases inserted by this batch, by version key, as they were decoded. */
        private final java.util.LinkedHashMap<String, java.util.Map<String, ReleaseRow>> added = new java.util.LinkedHashMap<>();

        /** A release this batch inserted: its package is refreshed, without decoding this row again. */
        void add(String id, String versionKey, ReleaseRow row) {
            added.computeIfAbsent(id, k -> new java.util.HashMap<>()).put(versionKey, row);
        }

        /** Refreshes every package added since the last call, in the order first changed. */
        void refreshAll(Database.Tx tx) throws SQLException {
            for (var e : added.entrySet()) refresh(tx, e.getKey(), e.getValue());
            added.clear();
        }
    }

    /** Recomputes a package's search row from its latest non-yanked release. */
    static void refresh(Database.Tx tx, String id) throws SQLException {
        refresh(tx, id, java.util.Map.of());
    }

    /** {@link #refresh}, with rows of the package already decoded (by version key) taken as they are. */
    private static void refresh(Database.Tx tx, String id, java.util.Map<String, ReleaseRow> decoded) throws SQLException {
        List<ReleaseRow> rows = Releases.of(tx, id, decoded);
        Optional<ReleaseRow> latest = rows.stream().filter(r -> !r.yanked())
                .max(Comparator.comparing((ReleaseRow r) -> !r.record().parsedVersion().isPreRelease()).thenComparing(r -> r.record().parsedVersion()));
        Optional<Long> rowid = tx.first("SELECT rowid, package_id, name, description, keywords, tags FROM packages WHERE package_id = ?", rs -> {
            tx.update("INSERT INTO packages_fts(packages_fts, rowid, package_id, name, description, keywords, tags) VALUES ('delete', ?, ?, ?, ?, ?, ?)",
                    rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6));
            return rs.getLong(1);
        }, id);
        // A package's terms are written only with its row and deleted with it (here), so a package
        // without a row has none: a catalog sync, which adds new packages, skips the statement.
        if (rowid.isPresent()) {
            tx.update("DELETE FROM package_terms WHERE package_id = ?", id);
            tx.update("DELETE FROM packages_rank WHERE rowid = ?", rowid.get());
        }
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
        storeRankTerms(tx, row, new String[] {(String) values[0], (String) values[1], (String) values[2], (String) values[3], (String) values[4]});
        var ins = tx.prepare("INSERT OR IGNORE INTO package_terms(package_id, kind, value) VALUES (?, ?, ?)");
        addTerms(ins, id, "category", r.categories());
        addTerms(ins, id, "tag", r.tags());
        addTerms(ins, id, "keyword", r.keywords());
        addTerms(ins, id, "license", List.of(r.license()));
        ins.executeBatch();
    }

    /** The tokenizer of {@code packages_fts} (Migrations, schema 1), which the scratch table below must share. */
    static final String TOKENIZER = "unicode61 remove_diacritics 2";

    /** Stores the row's {@link RankTerms} vector. */
    private static void storeRankTerms(Database.Tx tx, long row, String[] columns) throws SQLException {
        String terms = rankTerms(tx, columns, null);
        if (terms != null) tx.update("INSERT OR REPLACE INTO packages_rank(rowid, terms) VALUES (?, ?)", row, terms);
    }

    /**
     * A row's vector: ASCII text split here, any other text by FTS5's own tokenizer, through a
     * scratch contentless table in the connection's temporary schema that holds one row at a time
     * (about 0.1 ms a row; most metadata is ASCII and costs a few microseconds).
     */
    private static String rankTerms(Database.Tx tx, String[] columns, byte[] docsize) throws SQLException {
        // docsize: FTS5's counts to check against (a rebuild), or null
        RankTerms.Builder b = new RankTerms.Builder();
        boolean ascii = true;
        for (String c : columns) ascii &= c == null || RankTerms.isAscii(c);
        if (ascii) {
            for (int c = 0; c < RankTerms.COLUMNS; c++) {
                int column = c;
                if (columns[c] != null) RankTerms.asciiTokens(columns[c], t -> b.add(column, t));
            }
        } else {
            tx.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.rank_tokens USING fts5(c0, c1, c2, c3, c4, content = '', tokenize = '" + TOKENIZER + "')");
            tx.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.rank_tokens_vocab USING fts5vocab(temp, rank_tokens, instance)");
            tx.update("INSERT INTO temp.rank_tokens(rowid, c0, c1, c2, c3, c4) VALUES (1, ?, ?, ?, ?, ?)", (Object[]) columns);
            try {
                tx.list("SELECT col, term FROM temp.rank_tokens_vocab", rs -> {
                    String col = rs.getString(1);
                    b.add(col != null && col.length() == 2 && col.charAt(0) == 'c' ? col.charAt(1) - '0' : -1, rs.getString(2));
                    return null;
                });
            } finally {
                tx.update("INSERT INTO temp.rank_tokens(rank_tokens) VALUES ('delete-all')");
            }
        }
        return b.encode(columns[0], RankTerms.varints(docsize, RankTerms.COLUMNS), docsize != null);
    }

    /**
     * Recomputes every package's vector (after the index was rebuilt, and by the migration that
     * added them), a thousand rows at a time: memory stays bounded whatever the catalog's size.
     */
    static void rebuildRankTerms(Database.Tx tx) throws SQLException {
        tx.execute("DELETE FROM packages_rank");
        var ins = tx.prepare("INSERT INTO packages_rank(rowid, terms) VALUES (?, ?)");
        long after = Long.MIN_VALUE;
        while (true) {
            List<Object[]> rows = tx.list("SELECT p.rowid, p.package_id, p.name, p.description, p.keywords, p.tags, d.sz FROM packages p"
                    + " JOIN packages_fts_docsize d ON d.id = p.rowid WHERE p.rowid > ? ORDER BY p.rowid LIMIT 1000", rs -> new Object[] {
                    rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getBytes(7)}, after);
            if (rows.isEmpty()) return;
            for (Object[] r : rows) {
                after = (Long) r[0];
                String terms = rankTerms(tx, new String[] {(String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5]}, (byte[]) r[6]);
                if (terms == null) continue;
                ins.setLong(1, after);
                ins.setString(2, terms);
                ins.addBatch();
            }
            ins.executeBatch();
        }
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
     * Turns free text into the phrases of an FTS5 query, one per word (at most 16), each a quoted
     * term ({@code "word"}), all required (joined by spaces). Words match whole words; a word
     * written with a trailing {@code *} matches as a prefix ({@code "word"*}). (Prefix-matching
     * every word would merge the doclists of every longer word on every query.)
     */
    static List<String> phrases(String text) {
        String norm = Normalizer.normalize(text, Normalizer.Form.NFKC);
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(norm);
        while (m.find() && out.size() < 16) out.add('"' + m.group(1) + '"' + m.group(2));
        return out;
    }

    private static final String HIT_COLUMNS = "p.package_id, p.latest_version, p.name, p.description, p.license, p.fingerprint, p.keywords, p.tags,"
            + " p.categories, p.authors, p.updated_at, p.cid, p.size";
    /** bm25 weights per column: id 10, name 5, description 1, keywords 3, tags 3. */
    private static final String BM25 = "bm25(packages_fts, " + java.util.Arrays.stream(RankTerms.WEIGHTS).mapToObj(w -> w + ".0")
            .collect(java.util.stream.Collectors.joining(", ")) + ")";

    private static final Database.Row<SearchHit> HIT = rs -> hit(rs, 1, -rs.getDouble(14));

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
        List<String> phrases = phrases(q.text());
        String fts = String.join(" ", phrases);
        boolean filtered = q.category() != null || !q.tags().isEmpty() || q.keyword() != null || q.license() != null || q.author() != null;
        if (!fts.isEmpty() && !filtered && q.sort() == SearchQuery.Sort.RELEVANCE) return ranked(tx, q, phrases, fts);
        return filteredSearch(tx, q, fts);
    }

    /**
     * Free text alone, by relevance, the common case, kept cheap: bm25 is computed inside the
     * full-text index for the newest {@link #RANKED_CANDIDATES} matches only, and only the best
     * of them are joined to their package rows. The package whose id is the query comes first
     * when it matches, wherever it sits (one more look-up by rowid).
     */
    private List<SearchHit> ranked(Database.Tx tx, SearchQuery q, List<String> phrases, String fts) throws SQLException {
        int window = (int) Math.min(Integer.MAX_VALUE, (long) q.offset() + q.limit() + 1);
        List<SearchHit> byVectors = rankWithVectors ? rankByVectors(tx, phrases, fts, window) : null;
        if (byVectors != null) rankedByVectors.incrementAndGet();
        else rankedByBm25.incrementAndGet();
        List<SearchHit> hits = new ArrayList<>(byVectors != null ? byVectors : tx.list(RANKED, HIT, fts, rankedCandidates - 1, window));
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

    /**
     * The newest {@code rankedCandidates} matches and, in the same statement, the index's row
     * count and token totals (its averages record) and each candidate's {@link RankTerms} vector.
     */
    private static final String CANDIDATES = "SELECT (SELECT block FROM packages_fts_data WHERE id = 1), count(*), count(k.terms),"
            + " group_concat(c.r || ' ' || k.terms, char(10)) FROM (SELECT rowid AS r FROM packages_fts WHERE packages_fts MATCH ?1"
            + " ORDER BY rowid DESC LIMIT ?2) c LEFT JOIN packages_rank k ON k.rowid = c.r";
    private static final String HITS_BY_ROWID = "SELECT p.rowid, " + HIT_COLUMNS + " FROM packages p WHERE p.rowid IN (SELECT value FROM json_each(?))";
    private static final String COUNT_MATCHES = "SELECT count(*) FROM packages_fts WHERE packages_fts MATCH ?";

    /**
     * What {@link #RANKED} returns, the same rows in the same order with the same scores, computed
     * from the candidates' vectors and cached term counts instead of by {@code bm25()}. Null when
     * it cannot be: a word that is not ASCII, a candidate without a vector, a vector that does not
     * hold a term the index matched, or an index without its averages record.
     */
    private List<SearchHit> rankByVectors(Database.Tx tx, List<String> phrases, String fts, int window) throws SQLException {
        RankTerms.Term[] terms = new RankTerms.Term[phrases.size()];
        for (int k = 0; k < terms.length; k++) {
            terms[k] = RankTerms.Term.of(phrases.get(k));
            if (terms[k] == null) return null;
        }
        var ps = tx.prepare(CANDIDATES);
        ps.setString(1, fts);
        ps.setInt(2, rankedCandidates);
        byte[] averages;
        String vectors;
        try (java.sql.ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return null;
            averages = rs.getBytes(1);
            long candidates = rs.getLong(2);
            if (candidates == 0) return List.of();
            if (rs.getLong(3) != candidates) return null;
            vectors = rs.getString(4);
        }
        long[] totals = RankTerms.varints(averages, 1 + RankTerms.COLUMNS);
        if (totals == null || totals[0] <= 0 || vectors == null) return null;
        long rows = totals[0];
        long tokens = 0;
        for (int c = 1; c < totals.length; c++) tokens += totals[c];
        double averageTokens = (double) tokens / rows;
        double[] idf = new double[terms.length];
        for (int k = 0; k < terms.length; k++) {
            String phrase = phrases.get(k);
            long hits = frequencies.get(phrase, rows);
            if (hits < 0) {
                hits = tx.count(COUNT_MATCHES, phrase);
                frequencies.put(phrase, rows, hits);
            }
            idf[k] = RankTerms.idf(rows, hits);
        }
        List<RankTerms.Scored> ranked = RankTerms.rank(vectors, terms, idf, averageTokens);
        if (ranked == null) return null;
        ranked.sort(Comparator.comparingDouble((RankTerms.Scored c) -> -c.score()).thenComparing(RankTerms.Scored::id));
        List<RankTerms.Scored> best = ranked.subList(0, Math.min(window, ranked.size()));
        java.util.Map<Long, Double> scores = new java.util.HashMap<>();
        StringBuilder rowids = new StringBuilder("[");
        for (RankTerms.Scored c : best) {
            scores.put(c.rowid(), c.score());
            rowids.append(rowids.length() > 1 ? "," : "").append(c.rowid());
        }
        java.util.Map<Long, SearchHit> byRow = new java.util.HashMap<>();
        tx.list(HITS_BY_ROWID, rs -> byRow.put(rs.getLong(1), hit(rs, 2, scores.get(rs.getLong(1)))), rowids.append(']').toString());
        List<SearchHit> out = new ArrayList<>(best.size());
        for (RankTerms.Scored c : best) {
            SearchHit h = byRow.get(c.rowid());
            if (h == null) return null;
            out.add(h);
        }
        return out;
    }

    /** A hit from {@link #HIT_COLUMNS} starting at column {@code first}. */
    private static SearchHit hit(java.sql.ResultSet rs, int first, double score) throws SQLException {
        int f = first - 1;
        return new SearchHit(rs.getString(f + 1), rs.getString(f + 2), rs.getString(f + 3), rs.getString(f + 4), rs.getString(f + 5),
                rs.getString(f + 6), split(rs.getString(f + 7), " "), split(rs.getString(f + 8), " "), split(rs.getString(f + 9), "\n"),
                split(rs.getString(f + 10), "\n"), rs.getLong(f + 11), score, rs.getString(f + 12), rs.getLong(f + 13));
    }

    /** Searches ranked from the vectors, and those that fell back to {@code bm25()} (metrics, tests). */
    Catalog.RankedSearches rankedSearches() {
        return new Catalog.RankedSearches(rankedByVectors.get(), rankedByBm25.get());
    }

    /** Forgets the cached term counts (tests compare against {@code bm25()}, which counts afresh). */
    void forgetFrequencies() {
        frequencies.clear();
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
        rebuildRankTerms(tx);
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
