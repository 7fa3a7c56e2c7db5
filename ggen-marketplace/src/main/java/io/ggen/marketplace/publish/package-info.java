/** Publishing and yanking on the local node: validate, pack, sign, store, catalog. */
package io.ggen.marketplace.publish;
