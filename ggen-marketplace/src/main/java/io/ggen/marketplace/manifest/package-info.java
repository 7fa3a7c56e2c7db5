/**
 * {@code gpack.toml}: ggen's manifest (the {@code [gpack]} table and its optional sections, with
 * ggen's default discovery globs) plus the marketplace fields, parsed and validated with every
 * problem located at file:line:column and named by rule.
 */
package io.ggen.marketplace.manifest;
