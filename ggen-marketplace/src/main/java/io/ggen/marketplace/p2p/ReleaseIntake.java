package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.release.YankRecord;

/**
 * What a node does with a signed record another peer sends (gossip announcement or catalog sync):
 * decode within limits, verify the signature, check ownership (trust on first use or a pin) and
 * the immutability of id@version against the catalog, and only then index it, with the author's
 * node as a provider of the archive. One place, so both paths apply the same rules.
 */
public final class ReleaseIntake {
    public enum Outcome { ACCEPTED, KNOWN, REJECTED }

    public record Result(Outcome outcome, String reason, String coordinates) {}

    private final Catalog catalog;

    public ReleaseIntake(Catalog catalog) {
        this.catalog = catalog;
    }

    /** @param providerPeer the peer whose node published it (the gossip author), or null when unknown */
    public Result accept(byte[] bytes, String providerPeer) {
        if (bytes.length > SignedRecord.MAX_ENCODED) return new Result(Outcome.REJECTED, "record larger than " + SignedRecord.MAX_ENCODED + " bytes", "");
        SignedRecord signed;
        try {
            signed = SignedRecord.decode(bytes);
        } catch (RecordException | IllegalArgumentException e) {
            return new Result(Outcome.REJECTED, "not a signed record: " + e.getMessage(), "");
        }
        try {
            if (signed.type().equals(ReleaseRecord.TYPE)) {
                ReleaseRecord r = signed.openRelease();
                Catalog.Added added = catalog.addRelease(signed);
                if (providerPeer != null) catalog.addProvider(r.cid().toString(), providerPeer);
                return new Result(added == Catalog.Added.NEW ? Outcome.ACCEPTED : Outcome.KNOWN, "", r.coordinates());
            }
            if (signed.type().equals(YankRecord.TYPE)) {
                YankRecord y = signed.openYank();
                boolean added = catalog.yank(signed);
                return new Result(added ? Outcome.ACCEPTED : Outcome.KNOWN, "", y.id() + "@" + y.version());
            }
            return new Result(Outcome.REJECTED, "unexpected record type " + signed.type(), "");
        } catch (RecordException e) {
            return new Result(Outcome.REJECTED, e.getMessage(), "");
        } catch (MarketplaceException e) {
            if (e.kind() == MarketplaceException.Kind.IO) throw e;
            // A yank for a release we have not seen yet is not the sender's fault: ignored.
            if (e.kind() == MarketplaceException.Kind.NOT_FOUND) return new Result(Outcome.KNOWN, e.getMessage(), "");
            return new Result(Outcome.REJECTED, e.getMessage(), "");
        }
    }
}
