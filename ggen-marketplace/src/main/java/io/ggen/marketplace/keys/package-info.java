/** Publisher keys: Ed25519, stored mode 0600, shown by fingerprint, exported and imported. */
package io.ggen.marketplace.keys;
