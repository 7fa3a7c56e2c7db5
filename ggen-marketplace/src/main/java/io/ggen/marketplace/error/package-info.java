/**
 * The marketplace's user-facing failure ({@code MarketplaceException} and its kinds): a leaf
 * that every other marketplace package may use and that depends on none of them.
 */
package io.ggen.marketplace.error;
