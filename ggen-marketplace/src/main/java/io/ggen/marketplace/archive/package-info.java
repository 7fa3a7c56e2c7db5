/**
 * The deterministic pack archive (gzip + pax tar, sorted, normalised) and the hostile-input
 * unpacker with its limits.
 */
package io.ggen.marketplace.archive;
