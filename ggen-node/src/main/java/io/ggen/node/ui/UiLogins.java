package io.ggen.node.ui;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web UI's logins: a one-time code that {@code ggen marketplace p2p ui} puts in the URL, and
 * the browser sessions those codes are exchanged for. A code works once and for
 * {@link #CODE_LIFETIME}; a session lasts {@link #SESSION_IDLE} after its last use. Both stores
 * are bounded: past their size the oldest entry goes, so a flood of logins costs only the
 * flooder's own older codes. Only the holder of the API token can ask for a code (the route
 * that makes one is behind the token or a session), so a code or a session is as good as the
 * token, for as long as it lives, and no longer.
 */
public final class UiLogins {
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(2);
    public static final Duration SESSION_IDLE = Duration.ofHours(12);
    public static final int MAX_CODES = 16;
    public static final int MAX_SESSIONS = 64;
    private static final Pattern SECRET = Pattern.compile("[0-9a-f]{64}");

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Code -> expiry; insertion order is age. */
    private final LinkedHashMap<String, Instant> codes = new LinkedHashMap<>();
    /** Session id -> expiry; access order, so the least recently used goes first. */
    private final LinkedHashMap<String, Instant> sessions = new LinkedHashMap<>(16, 0.75f, true);

    public UiLogins(Clock clock) {
        this.clock = clock;
    }

    public UiLogins() {
        this(Clock.systemUTC());
    }

    /** A new one-time login code. */
    public synchronized String newCode() {
        purge(codes);
        String code = secret();
        codes.put(code, clock.instant().plus(CODE_LIFETIME));
        while (codes.size() > MAX_CODES) removeEldest(codes);
        return code;
    }

    /** Exchanges a code for a new session id; empty when the code is unknown, used or expired. The code is spent either way. */
    public synchronized Optional<String> exchange(String code) {
        if (code == null || !SECRET.matcher(code).matches()) return Optional.empty();
        Instant expiry = removeMatching(codes, code);
        if (expiry == null || !clock.instant().isBefore(expiry)) return Optional.empty();
        purge(sessions);
        String session = secret();
        sessions.put(session, clock.instant().plus(SESSION_IDLE));
        while (sessions.size() > MAX_SESSIONS) removeEldest(sessions);
        return Optional.of(session);
    }

    /** Whether a session id is live; a live one's idle time starts again. */
    public synchronized boolean valid(String session) {
        if (session == null || !SECRET.matcher(session).matches()) return false;
        for (Map.Entry<String, Instant> e : sessions.entrySet()) {
            if (!equal(e.getKey(), session)) continue;
            if (!clock.instant().isBefore(e.getValue())) {
                sessions.remove(e.getKey());
                return false;
            }
            sessions.put(e.getKey(), clock.instant().plus(SESSION_IDLE));
            return true;
        }
        return false;
    }

    public synchronized int pendingCodes() {
        return codes.size();
    }

    public synchronized int liveSessions() {
        purge(sessions);
        return sessions.size();
    }

    /** Removes the entry whose key equals {@code key} (compared in constant time) and returns its value. */
    private static Instant removeMatching(Map<String, Instant> map, String key) {
        for (Iterator<Map.Entry<String, Instant>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> e = it.next();
            if (equal(e.getKey(), key)) {
                it.remove();
                return e.getValue();
            }
        }
        return null;
    }

    private void purge(Map<String, Instant> map) {
        Instant now = clock.instant();
        map.values().removeIf(expiry -> !now.isBefore(expiry));
    }

    private static void removeEldest(LinkedHashMap<String, Instant> map) {
        Iterator<String> it = map.keySet().iterator();
        it.next();
        it.remove();
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.US_ASCII), b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private String secret() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }
}
