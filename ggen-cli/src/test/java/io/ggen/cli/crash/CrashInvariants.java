package io.ggen.cli.crash;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.ReleaseRow;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.marketplace.install.Installer;
import io.ggen.marketplace.install.Lockfile;
import io.ggen.marketplace.service.DoctorReport;
import io.ggen.marketplace.service.MarketplaceService;
import io.ggen.marketplace.version.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What must hold after a kill -9 and a restart, read from the disk (the catalog through its own
 * code, read-only; the store, temp directories, projects and lockfiles as files):
 * <ul>
 *   <li>the node starts, with the identity it had;</li>
 *   <li>the catalog database and its search index are intact, every stored object verifies
 *       against its address, every release published with the node's key has its archive;</li>
 *   <li>a publish that returned success is in the catalog with its CID, and its archive is stored;</li>
 *   <li>nothing half-written outside {@code store/tmp}, and {@code store/tmp} empty after the
 *       restart (leftovers are cleaned on start);</li>
 *   <li>a project's {@code ggen.lock} matches its pack directories, each byte for byte the pack
 *       of the version the lockfile names; no unfinished install left; an install that returned
 *       success is there (or a later one that committed after it).</li>
 * </ul>
 */
final class CrashInvariants {
    private final PrintStream log;
    private final List<String> violations = new ArrayList<>();
    private final Map<Path, String> identities = new HashMap<>();
    private final Map<Path, Map<String, String>> publishes = new HashMap<>();
    private final Map<String, Path> sources = new HashMap<>();
    /** Per project and pack id: the versions its lockfile may name (the last acknowledged, and attempts after it). */
    private final Map<Path, Map<String, Set<String>>> installs = new HashMap<>();
    /** "project id" of every pack an install acknowledged at least once. */
    private final Set<String> acknowledged = new java.util.HashSet<>();
    private int checks;
    private int ackedPublishes;
    private int ackedInstalls;

    CrashInvariants(PrintStream log) {
        this.log = log;
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    int checks() {
        return checks;
    }

    int ackedPublishes() {
        return ackedPublishes;
    }

    int ackedInstalls() {
        return ackedInstalls;
    }

    void violation(String what) {
        violations.add(what);
        log.println("[crashloop] VIOLATION " + what);
        log.flush();
    }

    private void check(boolean ok, String what) {
        checks++;
        if (!ok) violation(what);
    }

    void identity(Path home, String peerId) {
        identities.putIfAbsent(home, peerId);
    }

    void source(String id, String version, Path dir) {
        sources.put(id + "@" + version, dir);
    }

    void acknowledgePublish(Path home, String id, String version, String cid) {
        publishes.computeIfAbsent(home, h -> new TreeMap<>()).put(id + "@" + version, cid);
        ackedPublishes++;
    }

    void acknowledgeInstall(Path project, String id, String version) {
        Set<String> allowed = new LinkedHashSet<>();
        allowed.add(version);
        installs.computeIfAbsent(project, p -> new HashMap<>()).put(id, allowed);
        acknowledged.add(project + " " + id);
        ackedInstalls++;
    }

    /** An install that did not return success: it may or may not have committed. */
    void attemptedInstall(Path project, String id, String version) {
        installs.computeIfAbsent(project, p -> new HashMap<>()).computeIfAbsent(id, i -> new LinkedHashSet<>()).add(version);
    }

    /**
     * The checks of a node's data directory, its node running again after a kill. A temp file
     * counts as left over only if it was last written before the restart: the running node
     * writes its own (a routing-table save in progress), which are not the kill's doing.
     */
    void checkNode(Path home, String peerIdNow, FileTime restartedAt) throws IOException {
        check(peerIdNow.equals(identities.get(home)), home + ": identity changed from " + identities.get(home) + " to " + peerIdNow);
        List<Path> stray = new ArrayList<>();
        try (Stream<Path> all = Files.walk(home)) {
            all.filter(Files::isRegularFile).filter(p -> !p.startsWith(home.resolve("store/tmp"))).filter(p -> p.getFileName().toString().contains(".tmp"))
                    .filter(p -> writtenBefore(p, restartedAt))
                    .forEach(stray::add);
        }
        check(stray.isEmpty(), home + ": half-written files outside store/tmp after restart: " + stray);
        Path tmp = home.resolve("store/tmp");
        check(count(tmp) == 0, home + ": " + count(tmp) + " leftover temp files (" + bytesIn(tmp) + " bytes) in store/tmp after restart");
        MarketplaceHome mh = new MarketplaceHome(home);
        ContentStore store = mh.store();
        try (Catalog catalog = mh.openCatalog()) {
            check(catalog.databaseIntact(), home + ": catalog fails its integrity check");
            check(catalog.indexIntact(), home + ": search index out of step with the catalog");
            DoctorReport doctor = new MarketplaceService(mh, catalog, Optional.empty()).doctor(false);
            check(doctor.problems().isEmpty(), home + ": doctor: " + doctor.problems());
            for (Map.Entry<String, String> p : publishes.getOrDefault(home, Map.of()).entrySet()) {
                String[] iv = p.getKey().split("@");
                Optional<ReleaseRow> row = catalog.release(iv[0], Version.parse(iv[1]));
                check(row.isPresent() && row.get().record().cid().toString().equals(p.getValue()),
                        home + ": acknowledged publish " + p.getKey() + " (" + p.getValue() + ") is not in the catalog after restart: " + row);
                ContentId cid = ContentId.parse(p.getValue());
                check(store.contains(cid) && store.verify(cid), home + ": the archive of acknowledged publish " + p.getKey() + " is missing or corrupt");
            }
        }
    }

    /** The checks of a project directory: lockfile against pack directories, acknowledged installs. */
    void checkProject(Path project) throws IOException {
        Path packs = project.resolve(Installer.PACKS_DIR);
        if (!Files.isDirectory(project)) {
            check(acknowledged.stream().noneMatch(a -> a.startsWith(project + " ")), project + ": acknowledged installs but no project directory");
            return;
        }
        Map<String, Lockfile.Entry> locked = new TreeMap<>();
        for (Lockfile.Entry e : Installer.installed(project)) locked.put(e.id(), e);
        List<String> dirs = new ArrayList<>();
        List<String> hidden = new ArrayList<>();
        if (Files.isDirectory(packs)) {
            try (Stream<Path> s = Files.list(packs)) {
                for (Path d : s.toList()) {
                    String n = d.getFileName().toString();
                    if (n.startsWith(".")) hidden.add(n);
                    else dirs.add(n);
                }
            }
        }
        check(hidden.isEmpty(), project + ": unfinished installs left in " + packs + ": " + hidden);
        check(new java.util.TreeSet<>(dirs).equals(locked.keySet()), project + ": pack directories " + dirs + " but ggen.lock lists " + locked.keySet());
        for (Lockfile.Entry e : locked.values()) {
            Path src = sources.get(e.id() + "@" + e.version());
            Path dir = packs.resolve(e.id());
            check(src != null, project + ": ggen.lock names " + e.id() + "@" + e.version() + ", which this run never published");
            if (src == null || !Files.isDirectory(dir)) continue;
            Map<String, String> want = digests(src);
            Map<String, String> have = digests(dir);
            check(want.equals(have), project + ": " + dir + " is not the pack " + e.id() + "@" + e.version() + " that ggen.lock names (files "
                    + differences(want, have) + ")");
        }
        for (Map.Entry<String, Set<String>> i : installs.getOrDefault(project, Map.of()).entrySet()) {
            Lockfile.Entry e = locked.get(i.getKey());
            Set<String> allowed = i.getValue();
            if (!acknowledged.contains(project + " " + i.getKey())) continue;
            check(e != null && allowed.contains(e.version()), project + ": acknowledged install of " + i.getKey() + " (" + allowed
                    + ") lost; ggen.lock has " + (e == null ? "nothing" : e.version()));
        }
    }

    static int count(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    static long bytesIn(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Map<String, String> digests(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                MessageDigest md;
                try {
                    md = MessageDigest.getInstance("SHA-256");
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                try (InputStream in = Files.newInputStream(f)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
                }
                out.put(root.relativize(f).toString(), HexFormat.of().formatHex(md.digest()));
            }
        }
        return out;
    }

    private static String differences(Map<String, String> want, Map<String, String> have) {
        List<String> d = new ArrayList<>();
        for (String k : want.keySet()) if (!want.get(k).equals(have.get(k))) d.add(k);
        for (String k : have.keySet()) if (!want.containsKey(k)) d.add("+" + k);
        return d.toString();
    }

    /** False for a file gone meanwhile (the node finished writing and renamed it). */
    private static boolean writtenBefore(Path file, FileTime instant) {
        try {
            return Files.getLastModifiedTime(file).compareTo(instant) < 0;
        } catch (IOException gone) {
            return false;
        }
    }
}
