package io.ggen.marketplace.version;

import io.ggen.marketplace.error.MarketplaceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Picks one version per package id for a root requirement and its dependencies, recursively:
 * the highest version satisfying every requirement on that id, backtracking to lower versions
 * of earlier choices when a later requirement conflicts. One version per id, because ggen.lock
 * keeps one entry per id. The search is bounded; when it fails the error names the package,
 * who required what, and which versions exist.
 */
public final class Resolver {
    /** Upper bound on candidate trials: resolution is NP-hard in general, a user's wait is not. */
    public static final int MAX_STEPS = 100_000;

    /** One installable version of a package and the dependencies it declares (id -> range). */
    public record Candidate(Version version, Map<String, VersionReq> dependencies) {}

    /** Where versions come from; yanked versions should already be left out (or kept if pinned). */
    public interface Source {
        List<Candidate> versions(String id);
    }

    /** A requirement and who made it ({@code null} requirer = the user). */
    public record Requirement(String id, VersionReq req, String requiredBy) {
        @Override
        public String toString() {
            return (requiredBy == null ? "you" : requiredBy) + " require" + (requiredBy == null ? "" : "s") + " " + id + "@" + req;
        }
    }

    private final Source source;
    private final Map<String, List<Candidate>> cache = new LinkedHashMap<>();
    private int steps;
    private String deepestFailure;
    private int deepestDepth = -1;

    public Resolver(Source source) {
        this.source = source;
    }

    /** id -> chosen candidate, sorted by id. */
    public Map<String, Candidate> resolve(List<Requirement> roots) {
        Map<String, Candidate> chosen = new LinkedHashMap<>();
        Map<String, List<Requirement>> constraints = new LinkedHashMap<>();
        if (!solve(new ArrayList<>(roots), 0, chosen, constraints, 0)) {
            throw new MarketplaceException(MarketplaceException.Kind.CONFLICT, deepestFailure == null ? "no solution" : deepestFailure);
        }
        return new TreeMap<>(chosen);
    }

    private List<Candidate> versions(String id) {
        return cache.computeIfAbsent(id, k -> {
            List<Candidate> list = new ArrayList<>(source.versions(k));
            list.sort(Comparator.comparing(Candidate::version).reversed());
            return list;
        });
    }

    private boolean solve(List<Requirement> pending, int index, Map<String, Candidate> chosen, Map<String, List<Requirement>> constraints, int depth) {
        if (index == pending.size()) return true;
        if (++steps > MAX_STEPS) {
            fail(depth + 1000, "gave up resolving after " + MAX_STEPS + " steps; pin versions of the dependencies with exact ranges (=x.y.z)");
            return false;
        }
        Requirement r = pending.get(index);
        List<Requirement> on = constraints.computeIfAbsent(r.id(), k -> new ArrayList<>());
        on.add(r);
        try {
            Candidate already = chosen.get(r.id());
            if (already != null) {
                if (r.req().matches(already.version())) return solve(pending, index + 1, chosen, constraints, depth + 1);
                fail(depth, conflict(r.id(), on, "it is already resolved to " + already.version()));
                return false;
            }
            List<Candidate> all = versions(r.id());
            if (all.isEmpty()) {
                fail(depth, "package " + r.id() + " not found in the catalog (" + r + ")");
                return false;
            }
            boolean any = false;
            for (Candidate c : all) {
                if (!on.stream().allMatch(q -> q.req().matches(c.version()))) continue;
                any = true;
                chosen.put(r.id(), c);
                int mark = pending.size();
                String by = r.id() + "@" + c.version();
                for (Map.Entry<String, VersionReq> d : new TreeMap<>(c.dependencies()).entrySet()) {
                    pending.add(new Requirement(d.getKey(), d.getValue(), by));
                }
                if (solve(pending, index + 1, chosen, constraints, depth + 1)) return true;
                while (pending.size() > mark) pending.remove(pending.size() - 1);
                chosen.remove(r.id());
                if (steps > MAX_STEPS) return false;
            }
            if (!any) fail(depth, conflict(r.id(), on, null));
            return false;
        } finally {
            on.remove(on.size() - 1);
        }
    }

    private String conflict(String id, List<Requirement> on, String extra) {
        String available = versions(id).stream().map(c -> c.version().toString()).limit(10).collect(Collectors.joining(", "));
        if (versions(id).size() > 10) available += ", ...";
        String who = on.stream().map(Requirement::toString).collect(Collectors.joining("; "));
        return "cannot resolve " + id + ": " + who + (extra == null ? "" : "; " + extra)
                + "; available versions: " + (available.isEmpty() ? "none" : available)
                + (on.size() > 1 ? " (no version satisfies all of these)" : " (none matches)");
    }

    private void fail(int depth, String msg) {
        if (depth >= deepestDepth) {
            deepestDepth = depth;
            deepestFailure = msg;
        }
    }
}
