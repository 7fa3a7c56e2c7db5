package io.ggen.marketplace.manifest;

import io.ggen.marketplace.error.MarketplaceException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files of a pack directory, as '/'-separated relative paths in a stable order: version
 * control folders are skipped, symbolic links are not followed (a link would make the archive
 * depend on the machine), and the walk is bounded.
 */
public final class PackFiles {
    public static final Set<String> VCS_DIRS = Set.of(".git", ".hg", ".svn", ".bzr", "_darcs", "CVS", ".jj", ".pijul", ".fossil");
    public static final int MAX_FILES = 100_000;

    /** Regular files found, and symbolic links skipped (so callers can warn about them). */
    public record Listing(List<String> files, List<String> skippedLinks) {}

    private PackFiles() {}

    public static Listing list(Path dir) {
        List<String> files = new ArrayList<>();
        List<String> links = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (!d.equals(dir) && VCS_DIRS.contains(d.getFileName().toString())) return FileVisitResult.SKIP_SUBTREE;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    String rel = relative(dir, f);
                    if (attrs.isSymbolicLink()) links.add(rel);
                    else if (attrs.isRegularFile()) files.add(rel);
                    if (files.size() > MAX_FILES) {
                        throw new MarketplaceException(MarketplaceException.Kind.INVALID, dir + ": more than " + MAX_FILES + " files; a pack must be smaller");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new MarketplaceException(MarketplaceException.Kind.IO, "cannot read " + dir + ": " + e.getMessage(), e);
        }
        files.sort(null);
        links.sort(null);
        return new Listing(files, links);
    }

    static String relative(Path root, Path f) {
        StringBuilder sb = new StringBuilder();
        for (Path p : root.relativize(f)) {
            if (!sb.isEmpty()) sb.append('/');
            sb.append(p);
        }
        return sb.toString();
    }

    /** The files the manifest covers, sorted; what goes into the archive. */
    public static List<String> covered(GpackManifest m, List<String> files) {
        Set<String> out = new TreeSet<>();
        for (String f : files) {
            if (f.indexOf('/') < 0 && anyMatches(PackConventions.ALWAYS, f)) out.add(f);
        }
        for (List<String> patterns : patternSets(m)) {
            for (String f : files) if (anyMatches(patterns, f)) out.add(f);
        }
        for (String p : pathEntries(m)) {
            String clean = strip(p);
            for (String f : files) if (f.equals(clean) || f.startsWith(clean + "/")) out.add(f);
        }
        return new ArrayList<>(out);
    }

    /** Pattern lists in force: the manifest's, or ggen's defaults when a list is empty. */
    static List<List<String>> patternSets(GpackManifest m) {
        List<List<String>> sets = new ArrayList<>();
        sets.add(m.templates().patterns().isEmpty() ? PackConventions.TEMPLATES : m.templates().patterns());
        sets.add(m.templates().includes());
        sets.add(m.rdf().patterns().isEmpty() ? PackConventions.RDF : m.rdf().patterns());
        sets.add(m.queries().patterns().isEmpty() ? PackConventions.QUERIES : m.queries().patterns());
        sets.add(m.shapePatterns().isEmpty() ? PackConventions.SHAPES : m.shapePatterns());
        return sets;
    }

    /** Plain paths (files or directories) the manifest names. */
    static List<String> pathEntries(GpackManifest m) {
        List<String> out = new ArrayList<>(m.macroPaths());
        out.addAll(m.queries().aliases().values());
        if (m.preset().config() != null) out.add(m.preset().config());
        if (m.gpack().readme() != null) out.add(m.gpack().readme());
        return out;
    }

    static String strip(String p) {
        String s = p.startsWith("./") ? p.substring(2) : p;
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }

    private static boolean anyMatches(List<String> patterns, String f) {
        for (String p : patterns) {
            try {
                if (Glob.compile(p).matches(f)) return true;
            } catch (IllegalArgumentException e) {
                // reported by the validator; a broken pattern covers nothing
            }
        }
        return false;
    }

    static boolean isLink(Path p) {
        return Files.isSymbolicLink(p) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
