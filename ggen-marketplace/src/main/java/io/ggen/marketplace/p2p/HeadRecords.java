package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.Ownership;
import io.ggen.marketplace.keys.Fingerprint;
import io.ggen.marketplace.release.PackageHead;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.kad.KadException;
import io.ggen.p2p.kad.RecordSelector;
import io.ggen.p2p.kad.RecordValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The DHT rules of the {@code /ggen/} namespace: only {@code /ggen/pkg/<id>} keys, whose value is
 * a package head signed by its owner key, naming the same id, at most 64 KiB; when this node
 * knows the id's owner (first use or pin), a head signed by another key is refused. The selector
 * keeps the highest sequence.
 *
 * <p>A head's sequence is the time it was built, in milliseconds ({@link HeadBuilder}), so a
 * sequence more than {@link #MAX_CLOCK_AHEAD} ahead of this node's clock is implausible and
 * refused: otherwise one head with a sequence near {@code Long.MAX_VALUE}, for an id nobody had
 * published yet, would win the selector forever.
 */
public final class HeadRecords {
    public static final String PREFIX = "/ggen/pkg/";
    /** How far ahead of this node's clock a head's sequence (its time in ms) may be. */
    public static final java.time.Duration MAX_CLOCK_AHEAD = java.time.Duration.ofHours(1);

    private HeadRecords() {}

    public static RecordValidator validator(Catalog catalog) {
        return validator(catalog, java.time.Clock.systemUTC());
    }

    /** @param clock this node's clock, against which a head's sequence must be plausible */
    public static RecordValidator validator(Catalog catalog, java.time.Clock clock) {
        return (key, value) -> open(catalog, key, value, clock.millis());
    }

    /** Whether a head's sequence is at most {@link #MAX_CLOCK_AHEAD} ahead of {@code nowMillis}. */
    public static boolean plausibleSequence(long sequence, long nowMillis) {
        return sequence <= nowMillis + MAX_CLOCK_AHEAD.toMillis();
    }

    static PackageHead open(Catalog catalog, byte[] key, byte[] value) throws KadException {
        return open(catalog, key, value, System.currentTimeMillis());
    }

    static PackageHead open(Catalog catalog, byte[] key, byte[] value, long nowMillis) throws KadException {
        String k = new String(key, StandardCharsets.UTF_8);
        if (!k.startsWith(PREFIX)) throw new KadException("only " + PREFIX + "<id> keys are stored in /ggen/");
        String id = k.substring(PREFIX.length());
        if (value.length > SignedRecord.MAX_ENCODED) throw new KadException("package head larger than " + SignedRecord.MAX_ENCODED + " bytes");
        PackageHead head;
        try {
            head = SignedRecord.decode(value).openHead();
        } catch (RecordException | IllegalArgumentException e) {
            throw new KadException("invalid package head: " + e.getMessage());
        }
        if (!head.id().equals(id)) throw new KadException("package head for " + head.id() + " stored under " + k);
        if (!plausibleSequence(head.sequence(), nowMillis)) {
            throw new KadException("package head for " + id + " has sequence " + head.sequence() + ", more than "
                    + MAX_CLOCK_AHEAD.toMinutes() + " minutes ahead of this node's clock (sequences are times in ms)");
        }
        Optional<Ownership> owner = catalog.ownerOf(id);
        String fp = Fingerprint.of(head.owner());
        if (owner.isPresent() && !owner.get().fingerprint().equals(fp)) {
            throw new KadException(id + " belongs to key " + owner.get().fingerprint() + " here; a head signed by " + fp + " is refused");
        }
        return head;
    }

    public static RecordSelector selector() {
        return selector(java.time.Clock.systemUTC());
    }

    /** Highest plausible sequence wins; an implausible one never does. */
    public static RecordSelector selector(java.time.Clock clock) {
        return (key, values) -> {
            int best = 0;
            long bestSeq = -1;
            long now = clock.millis();
            for (int i = 0; i < values.size(); i++) {
                try {
                    long seq = SignedRecord.decode(values.get(i)).openHead().sequence();
                    if (plausibleSequence(seq, now) && seq > bestSeq) {
                        bestSeq = seq;
                        best = i;
                    }
                } catch (RuntimeException e) {
                    // an invalid value never wins
                }
            }
            return best;
        };
    }

    /** The head of {@code id} if the value is valid here. */
    public static Optional<PackageHead> read(Catalog catalog, String id, byte[] value) {
        try {
            return Optional.of(open(catalog, (PREFIX + id).getBytes(StandardCharsets.UTF_8), value));
        } catch (KadException e) {
            return Optional.empty();
        }
    }

    static List<String> keys() {
        return List.of(PREFIX);
    }
}
