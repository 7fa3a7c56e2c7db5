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
 * A provider announced from an origin (the sender's IP address) counts against that origin's
 * share of the key, {@link #MAX_PER_ORIGIN}: one address announcing under many peer ids cannot
 * push out every other provider of a key.
 */
final class ProviderStore {
    /** Providers of one key announced from one origin. */
    static final int MAX_PER_ORIGIN = 8;

    private record Entry(Instant expires, String origin) {}

    private final int maxKeys;
    private final int maxPerKey;
    private final LinkedHashMap<String, LinkedHashMap<PeerId, Entry>> byKey = new LinkedHashMap<>();

    ProviderStore(int maxKeys, int maxPerKey) {
        this.maxKeys = maxKeys;
        this.maxPerKey = maxPerKey;
    }

    synchronized void add(byte[] key, PeerId provider, Instant expires) {
        add(key, provider, expires, null);
    }

    /**
     * Adds or refreshes a provider; {@code origin} (null: none) is where the announcement came
     * from. False when the origin already has its share of new providers for the key.
     */
    synchronized boolean add(byte[] key, PeerId provider, Instant expires, String origin) {
        String id = RecordStore.id(key);
        LinkedHashMap<PeerId, Entry> m = byKey.get(id);
        if (origin != null && m != null && !m.containsKey(provider)) {
            long fromOrigin = m.values().stream().filter(e -> origin.equals(e.origin())).count();
            if (fromOrigin >= MAX_PER_ORIGIN) return false;
        }
        byKey.remove(id);
        if (m == null) m = new LinkedHashMap<>();
        byKey.put(id, m);
        m.remove(provider);
        m.put(provider, new Entry(expires, origin));
        while (m.size() > maxPerKey) {
            Iterator<PeerId> it = m.keySet().iterator();
            it.next();
            it.remove();
        }
        while (byKey.size() > maxKeys) {
            Iterator<Map.Entry<String, LinkedHashMap<PeerId, Entry>>> it = byKey.entrySet().iterator();
            it.next();
            it.remove();
        }
        return true;
    }

    synchronized List<PeerId> get(byte[] key, Instant now) {
        LinkedHashMap<PeerId, Entry> m = byKey.get(RecordStore.id(key));
        if (m == null) return List.of();
        m.values().removeIf(t -> t.expires().isBefore(now));
        List<PeerId> out = new ArrayList<>(m.keySet());
        java.util.Collections.reverse(out); // most recent first
        return out;
    }

    synchronized int sweep(Instant now) {
        int removed = 0;
        for (Iterator<LinkedHashMap<PeerId, Entry>> it = byKey.values().iterator(); it.hasNext(); ) {
            LinkedHashMap<PeerId, Entry> m = it.next();
            int before = m.size();
            m.values().removeIf(t -> t.expires().isBefore(now));
            removed += before - m.size();
            if (m.isEmpty()) it.remove();
        }
        return removed;
    }

    synchronized int keys() {
        return byKey.size();
    }
}
