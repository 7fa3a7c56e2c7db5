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
 */
public final class HeadRecords {
    public static final String PREFIX = "/ggen/pkg/";

    private HeadRecords() {}

    public static RecordValidator validator(Catalog catalog) {
        return (key, value) -> open(catalog, key, value);
    }

    static PackageHead open(Catalog catalog, byte[] key, byte[] value) throws KadException {
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
        Optional<Ownership> owner = catalog.ownerOf(id);
        String fp = Fingerprint.of(head.owner());
        if (owner.isPresent() && !owner.get().fingerprint().equals(fp)) {
            throw new KadException(id + " belongs to key " + owner.get().fingerprint() + " here; a head signed by " + fp + " is refused");
        }
        return head;
    }

    public static RecordSelector selector() {
        return (key, values) -> {
            int best = 0;
            long bestSeq = -1;
            for (int i = 0; i < values.size(); i++) {
                try {
                    long seq = SignedRecord.decode(values.get(i)).openHead().sequence();
                    if (seq > bestSeq) {
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
