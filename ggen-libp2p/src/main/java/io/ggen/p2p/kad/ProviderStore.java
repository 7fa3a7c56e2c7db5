package io.ggen.p2p.kad;

import io.ggen.p2p.crypto.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider records: for each key, who said they provide it and until when. Bounded in keys and
 * in providers per key (the least recently announced go first), expired on read and on sweep.
 */
final class ProviderStore {
    private final int maxKeys;
    private final int maxPerKey;
    private final LinkedHashMap<String, LinkedHashMap<PeerId, Instant>> byKey = new LinkedHashMap<>();

    ProviderStore(int maxKeys, int maxPerKey) {
        this.maxKeys = maxKeys;
        this.maxPerKey = maxPerKey;
    }

    synchronized void add(byte[] key, PeerId provider, Instant expires) {
        String id = RecordStore.id(key);
        LinkedHashMap<PeerId, Instant> m = byKey.remove(id);
        if (m == null) m = new LinkedHashMap<>();
        byKey.put(id, m);
        m.remove(provider);
        m.put(provider, expires);
        while (m.size() > maxPerKey) {
            Iterator<PeerId> it = m.keySet().iterator();
            it.next();
            it.remove();
        }
        while (byKey.size() > maxKeys) {
            Iterator<Map.Entry<String, LinkedHashMap<PeerId, Instant>>> it = byKey.entrySet().iterator();
            it.next();
            it.remove();
        }
    }

    synchronized List<PeerId> get(byte[] key, Instant now) {
        LinkedHashMap<PeerId, Instant> m = byKey.get(RecordStore.id(key));
        if (m == null) return List.of();
        m.values().removeIf(t -> t.isBefore(now));
        List<PeerId> out = new ArrayList<>(m.keySet());
        java.util.Collections.reverse(out); // most recent first
        return out;
    }

    synchronized int sweep(Instant now) {
        int removed = 0;
        for (Iterator<LinkedHashMap<PeerId, Instant>> it = byKey.values().iterator(); it.hasNext(); ) {
            LinkedHashMap<PeerId, Instant> m = it.next();
            int before = m.size();
            m.values().removeIf(t -> t.isBefore(now));
            removed += before - m.size();
            if (m.isEmpty()) it.remove();
        }
        return removed;
    }

    synchronized int keys() {
        return byKey.size();
    }
}
