package io.ggen.marketplace.catalog;

/** Who owns a package id here, and why: first use ({@code tofu}) or an explicit pin. */
public record Ownership(String packageId, String fingerprint, String how, long sinceMillis) {
    public static final String TOFU = "tofu";
    public static final String PINNED = "pinned";
}
