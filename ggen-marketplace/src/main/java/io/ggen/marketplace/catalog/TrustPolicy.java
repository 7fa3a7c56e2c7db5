package io.ggen.marketplace.catalog;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import java.util.Optional;

/**
 * Who may publish or yank under a package id: its owner, which is the first key seen releasing
 * it (trust on first use, like SSH) unless the user pinned another key explicitly (a pin replaces
 * any owner, first use or pinned). Pure decisions, no storage: {@link Owners} keeps the state.
 */
final class TrustPolicy {
    private TrustPolicy() {}

    /** What accepting a release means for ownership. */
    enum Verdict {
        /** The id had no owner: the signer becomes its owner on first use. */
        CLAIM,
        /** The signer owns the id. */
        OWNER
    }

    /**
     * Decides on a release of {@code coordinates} signed by {@code signer}, given the id's current
     * owner; throws (VERIFICATION) when another key owns it, saying how to move the ownership.
     */
    static Verdict release(Optional<Ownership> owner, String signer, String coordinates) {
        if (owner.isEmpty()) return Verdict.CLAIM;
        Ownership o = owner.get();
        if (o.fingerprint().equals(signer)) return Verdict.OWNER;
        throw new MarketplaceException(Kind.VERIFICATION, "release " + coordinates + " is signed by key " + signer + ", but " + o.packageId()
                + " belongs to key " + o.fingerprint() + " (" + describe(o) + "); refused. If the package really changed hands, run"
                + " 'ggen marketplace trust " + signer + " --package " + o.packageId() + "'");
    }

    /** A yank is accepted from the owner, or for an id nobody owns here yet. */
    static void yank(Optional<Ownership> owner, String signer, String coordinates) {
        if (owner.isPresent() && !owner.get().fingerprint().equals(signer)) {
            throw new MarketplaceException(Kind.VERIFICATION, "yank of " + coordinates + " is signed by key " + signer + ", but "
                    + owner.get().packageId() + " belongs to key " + owner.get().fingerprint() + "; refused");
        }
    }

    /** The ownership a first-use release creates. */
    static Ownership firstUse(String packageId, String signer, long now) {
        return new Ownership(packageId, signer, Ownership.TOFU, now);
    }

    /** The ownership an explicit pin creates, whatever was there before. */
    static Ownership pin(String packageId, String fingerprint, long now) {
        return new Ownership(packageId, fingerprint, Ownership.PINNED, now);
    }

    static String describe(Ownership o) {
        return o.how().equals(Ownership.PINNED) ? "pinned with 'ggen marketplace trust'" : "trusted on first use";
    }
}
