/**
 * The local catalog (SQLite in WAL mode, FTS5 with bm25): releases, publishers, ownership
 * (trust on first use, or pinned), providers, peers and reputation, and search.
 */
package io.ggen.marketplace.catalog;
