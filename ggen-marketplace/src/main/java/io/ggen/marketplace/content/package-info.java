/**
 * Content ids (CIDv1, raw codec, sha2-256, base32) and the content-addressed object store that
 * writes atomically and verifies on read.
 */
package io.ggen.marketplace.content;
