package io.ggen.marketplace.service;

/** A signed yank: the release it withdraws from new resolutions, why, and the owner's fingerprint. */
public record YankResult(String id, String version, String cid, String reason, String publisher) {}
