/**
 * Signed release records, yank records and package heads, with their canonical byte encoding
 * (protobuf wire format, one encoding per value) and Ed25519 signatures. Documented in
 * docs/marketplace.md, "Record encoding".
 */
package io.ggen.marketplace.release;
