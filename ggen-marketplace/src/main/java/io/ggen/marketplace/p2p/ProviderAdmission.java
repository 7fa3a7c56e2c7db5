package io.ggen.marketplace.p2p;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How many provider entries of one CID each source may bring: the peer that handed them to us
 * (the gossip peer that forwarded an announcement, the peer that answered a search) and that
 * peer's IP address. Without it, one peer replaying a genuine announcement under many identities
 * fills a CID's provider slots with its own names. A provider a source already brought for the
 * CID comes again freely (a refresh). Memory is bounded: the most recent {@link #MAX_CIDS} CIDs,
 * {@link #MAX_SOURCES_PER_CID} sources each (beyond, a new source brings nothing for that CID).
 */
public final class ProviderAdmission {
    /** Who handed us a provider entry; either part may be null (unknown, not limited by it). */
    public record Source(String peer, String ip) {
        public static final Source UNKNOWN = new Source(null, null);
    }

    /** New providers per CID from one peer: a search answer names up to 8 per hit. */
    public static final int DEFAULT_PER_PEER = 8;
    /** New providers per CID from one IP address, whatever the peer ids behind it. */
    public static final int DEFAULT_PER_IP = 16;
    static final int MAX_CIDS = 2048;
    static final int MAX_SOURCES_PER_CID = 256;

    private final int perPeer;
    private final int perIp;
    private final Map<String, PerCid> byCid = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PerCid> eldest) {
            return size() > MAX_CIDS;
        }
    };
    private long refused;

    private static final class PerCid {
        final Map<String, Set<String>> byPeer = new HashMap<>();
        final Map<String, Set<String>> byIp = new HashMap<>();
    }

    public ProviderAdmission() {
        this(DEFAULT_PER_PEER, DEFAULT_PER_IP);
    }

    public ProviderAdmission(int perPeer, int perIp) {
        if (perPeer <= 0 || perIp <= 0) throw new IllegalArgumentException("limits must be positive");
        this.perPeer = perPeer;
        this.perIp = perIp;
    }

    /** Whether {@code source} may add {@code provider} for {@code cid}; counts it when so. */
    public synchronized boolean admit(String cid, String provider, Source source) {
        PerCid pc = byCid.computeIfAbsent(cid, k -> new PerCid());
        Set<String> fromPeer = slot(pc.byPeer, source.peer());
        Set<String> fromIp = slot(pc.byIp, source.ip());
        boolean ok = (source.peer() == null || (fromPeer != null && (fromPeer.contains(provider) || fromPeer.size() < perPeer)))
                && (source.ip() == null || (fromIp != null && (fromIp.contains(provider) || fromIp.size() < perIp)));
        if (!ok) {
            refused++;
            return false;
        }
        if (fromPeer != null) fromPeer.add(provider);
        if (fromIp != null) fromIp.add(provider);
        return true;
    }

    private static Set<String> slot(Map<String, Set<String>> m, String key) {
        if (key == null) return null;
        Set<String> s = m.get(key);
        if (s == null && m.size() < MAX_SOURCES_PER_CID) {
            s = new HashSet<>();
            m.put(key, s);
        }
        return s;
    }

    /** Provider entries refused so far. */
    public synchronized long refused() {
        return refused;
    }
}
