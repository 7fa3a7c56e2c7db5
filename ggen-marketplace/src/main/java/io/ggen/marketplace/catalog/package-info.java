/**
 * The local catalog (SQLite in WAL mode, FTS5 with bm25). {@link io.ggen.marketplace.catalog.Catalog}
 * is the facade; the parts behind it: {@code Database} (one writer, a pool of read connections,
 * transactions as lambdas, prepared statements cached per connection), {@code Migrations}
 * (ordered, keyed on {@code PRAGMA user_version}), {@code Releases} (add, verify, immutability,
 * yank), {@code TrustPolicy} and {@code Owners} (trust on first use, pins), {@code SearchIndex}
 * (package rows, FTS upkeep, search SQL), {@code PeerStats} (reputation, providers, peers) and
 * {@code NodeState} (announced releases, sync cursors). See docs/internals.md, "The catalog".
 */
package io.ggen.marketplace.catalog;
