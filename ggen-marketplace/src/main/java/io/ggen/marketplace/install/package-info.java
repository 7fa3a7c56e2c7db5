/** Install: resolve, verify (CID, signature, ownership), unpack safely, write ggen.lock. */
package io.ggen.marketplace.install;
