/**
 * Semantic Versioning 2.0.0 versions with correct precedence, Cargo-style ranges (as ggen writes
 * them in gpack.toml), and the dependency resolver that picks the highest matching versions.
 */
package io.ggen.marketplace.version;
