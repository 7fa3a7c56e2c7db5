/**
 * The marketplace's use cases (publish and announce, search with network fallback, resolve and
 * fetch as jobs, yank, doctor): request records in, result records out, each request's rules
 * checked once in its record. The node's API and the offline command line both call it; neither
 * holds marketplace logic of its own.
 */
package io.ggen.marketplace.service;
