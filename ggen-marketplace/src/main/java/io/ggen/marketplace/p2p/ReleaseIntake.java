package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.release.YankRecord;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What a node does with a signed record another peer sends (gossip announcement or catalog sync):
 * decode within limits, verify the signature, check ownership (trust on first use or a pin) and
 * the immutability of id@version against the catalog, and only then index it, with the author's
 * node as a provider of the archive. One place, so both paths apply the same rules.
 */
public final class ReleaseIntake {
    /**
     * ACCEPTED: new, and valid; KNOWN: held already (or a yank of a release not held); REJECTED:
     * invalid, the sender's fault; DEFERRED: valid as far as checked, but not taken now (the
     * catalog's staging is full): catalog sync brings it later.
     */
    public enum Outcome { ACCEPTED, KNOWN, REJECTED, DEFERRED }

    public record Result(Outcome outcome, String reason, String coordinates) {}

    private final Catalog catalog;
    private final ProviderAdmission admission;

    public ReleaseIntake(Catalog catalog) {
        this(catalog, new ProviderAdmission());
    }

    public ReleaseIntake(Catalog catalog, ProviderAdmission admission) {
        this.catalog = catalog;
        this.admission = admission;
    }

    /** @param providerPeer the peer whose node published it (the gossip author), or null when unknown */
    public Result accept(byte[] bytes, String providerPeer) {
        return accept(bytes, providerPeer, providerPeer == null ? ProviderAdmission.Source.UNKNOWN : new ProviderAdmission.Source(providerPeer, null));
    }

    /**
     * @param providerPeer the peer whose node published it (the gossip author), or null when unknown
     * @param source who handed it to us (the forwarding peer and its IP): the provider entry is
     *     kept only within that source's share ({@link ProviderAdmission})
     */
    public Result accept(byte[] bytes, String providerPeer, ProviderAdmission.Source source) {
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
                if (providerPeer != null) addProvider(r.cid().toString(), providerPeer, source);
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

    /**
     * A gossip announcement, as gossipsub's validator hands it over: checked at once as
     * {@link #accept} does (size, signature, owner, immutability of id@version, against the
     * catalog and the announcements staged before it), so the verdict (forward or not) is final
     * now; a release is then staged and committed with the others of the next few tens of
     * milliseconds ({@link Catalog#stageRelease}), its provider entry with it. A yank, rare, is
     * written at once. Returns {@link Outcome#DEFERRED} when staging stays full.
     */
    public Result announce(byte[] bytes, String providerPeer, ProviderAdmission.Source source) {
        Opened o = open(bytes);
        if (o.refusal() != null) return o.refusal();
        Catalog.Verified v = o.verified();
        if (v.yank() != null) return accept(bytes, providerPeer, source);
        ReleaseRecord r = v.release();
        try {
            String provider = providerPeer != null && admission.admit(r.cid().toString(), providerPeer, source) ? providerPeer : null;
            Catalog.Verified staged = Catalog.Verified.release(v.signed(), r, provider);
            return switch (catalog.stageRelease(staged)) {
                case STAGED -> new Result(Outcome.ACCEPTED, "", r.coordinates());
                case KNOWN -> new Result(Outcome.KNOWN, "", r.coordinates());
                case FULL -> new Result(Outcome.DEFERRED, "the catalog's staging is full; catalog sync will bring it", r.coordinates());
            };
        } catch (MarketplaceException e) {
            if (e.kind() == MarketplaceException.Kind.IO) throw e;
            return new Result(Outcome.REJECTED, e.getMessage(), r.coordinates());
        }
    }

    /**
     * A batch of records from one source (a catalog-sync page), first half: every record decoded
     * and all their signatures checked as one batch ({@link SignedRecord#verifyAll}: the verdicts
     * of one at a time, for about a third of the work). It reads nothing of the catalog, so a page
     * is checked while the one before it is stored ({@link #store}, the second half).
     *
     * <p>One batch on the calling thread, not one per core: the store of the page before is what
     * a sync waits for (one writer, page after page), and this check takes a fraction of its time,
     * so a second core is worth more to the store than to the check; and the larger the batch,
     * the more signatures share each publisher's term. Measured: 4-8% faster syncs of 10,000
     * releases by a fresh node on two cores (BENCHMARKS.md, round eleven).
     */
    public Checked check(List<byte[]> records) {
        return new Checked(openAll(records));
    }

    /** Records decoded one by one, then their signatures checked as one batch. */
    private static List<Opened> openAll(List<byte[]> records) {
        Opened[] out = new Opened[records.size()];
        List<SignedRecord> toVerify = new ArrayList<>(records.size());
        List<io.ggen.p2p.crypto.Ed25519PublicKey> keys = new ArrayList<>(records.size());
        int[] at = new int[records.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = decode(records.get(i));
            if (out[i].refusal() != null) continue;
            Catalog.Verified v = out[i].verified();
            at[toVerify.size()] = i;
            toVerify.add(v.signed());
            keys.add(v.release() != null ? v.release().publisher() : v.yank().publisher());
        }
        boolean[] ok = SignedRecord.verifyAll(toVerify, keys);
        for (int j = 0; j < ok.length; j++) {
            if (!ok[j]) out[at[j]] = Opened.refused("not a valid signed record: " + toVerify.get(j).badSignature().getMessage());
        }
        return java.util.Arrays.asList(out);
    }

    /** A page's records decoded and their signatures checked, not yet stored ({@link #store}). */
    public static final class Checked {
        private final List<Opened> opened;

        private Checked(List<Opened> opened) {
            this.opened = opened;
        }
    }

    /**
     * A checked batch, second half: the same checks as {@link #accept}, with one transaction for
     * the whole batch: ownership and immutability against the catalog, in order. Records
     * {@code held} marks are releases whose archive the source says it holds: the source becomes
     * a provider of them, within its share ({@link ProviderAdmission}). Handling stops at the
     * first refused record (a bad signature found by {@link #check} included): the results are
     * those of the records before it, then its refusal.
     */
    public List<Result> store(Checked checked, BitSet held, ProviderAdmission.Source source) {
        List<Opened> opened = checked.opened;
        List<Catalog.Verified> batch = new ArrayList<>(opened.size());
        Result refused = null;
        for (int i = 0; i < opened.size(); i++) {
            if (opened.get(i).refusal() != null) {
                refused = opened.get(i).refusal();
                break;
            }
            Catalog.Verified v = opened.get(i).verified();
            if (v.release() != null && held.get(i) && source.peer() != null && admission.admit(v.release().cid().toString(), source.peer(), source)) {
                v = Catalog.Verified.release(v.signed(), v.release(), source.peer());
            }
            batch.add(v);
        }
        Catalog.BatchResult done = catalog.addVerified(batch);
        List<Result> out = new ArrayList<>(done.applied().size() + 1);
        for (int i = 0; i < done.applied().size(); i++) {
            Catalog.Verified v = batch.get(i);
            String coordinates = v.release() != null ? v.release().coordinates() : v.yank().id() + "@" + v.yank().version();
            out.add(new Result(done.applied().get(i) == Catalog.Added.NEW ? Outcome.ACCEPTED : Outcome.KNOWN, "", coordinates));
        }
        if (done.refusal() != null) out.add(new Result(Outcome.REJECTED, done.refusal(), ""));
        else if (refused != null) out.add(refused);
        return out;
    }

    /** A record decoded with its signature verified, or the refusal saying why not: exactly one of the two. */
    private record Opened(Catalog.Verified verified, Result refusal) {
        static Opened refused(String reason) {
            return new Opened(null, new Result(Outcome.REJECTED, reason, ""));
        }
    }

    private static Opened open(byte[] bytes) {
        return open(bytes, true);
    }

    /** A record decoded, its signature not yet checked: only {@link #openAll} may use it. */
    private static Opened decode(byte[] bytes) {
        return open(bytes, false);
    }

    private static Opened open(byte[] bytes, boolean verify) {
        if (bytes.length > SignedRecord.MAX_ENCODED) return Opened.refused("record larger than " + SignedRecord.MAX_ENCODED + " bytes");
        try {
            SignedRecord signed = SignedRecord.decode(bytes);
            if (signed.type().equals(ReleaseRecord.TYPE)) {
                return new Opened(Catalog.Verified.release(signed, verify ? signed.openRelease() : signed.decodeRelease(), null), null);
            }
            if (signed.type().equals(YankRecord.TYPE)) return new Opened(Catalog.Verified.yank(signed, verify ? signed.openYank() : signed.decodeYank()), null);
            return Opened.refused("unexpected record type " + signed.type());
        } catch (MarketplaceException | IllegalArgumentException e) {
            return Opened.refused("not a valid signed record: " + e.getMessage());
        }
    }

    /**
     * Records {@code provider} as a provider of {@code cid} on the word of {@code source}, within
     * that source's share; false when refused. The catalog's bound does the rest: a provider that
     * served verified bytes is never evicted by one that has not.
     */
    public boolean addProvider(String cid, String provider, ProviderAdmission.Source source) {
        if (!admission.admit(cid, provider, source)) return false;
        catalog.addProvider(cid, provider);
        return true;
    }

    public ProviderAdmission admission() {
        return admission;
    }
}
