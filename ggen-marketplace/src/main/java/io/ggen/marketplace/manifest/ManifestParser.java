package io.ggen.marketplace.manifest;

import io.ggen.marketplace.text.TomlDocument;
import io.ggen.marketplace.manifest.ManifestProblem.Severity;
import io.ggen.marketplace.text.Suggestions;
import io.ggen.marketplace.version.Version;
import io.ggen.marketplace.version.VersionException;
import io.ggen.marketplace.version.VersionReq;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads {@code gpack.toml} and checks every rule, collecting all problems (so
 * {@code ggen marketplace validate} can print them at once) with file, line, column and the
 * rule's name. Treats the file as hostile: its size is checked before it is read, lists and
 * strings are bounded.
 */
public final class ManifestParser {
    public static final String FILE_NAME = "gpack.toml";
    public static final long MAX_MANIFEST_BYTES = 1 << 20;
    public static final int MAX_LIST = 256;
    public static final int MAX_STRING = 4096;
    public static final int MAX_ID = 128;
    /** Reverse-DNS style ids as ggen uses them: {@code io.ggen.rust.cli-subcommand}. */
    public static final Pattern ID = Pattern.compile("[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)*");

    /**
     * Whether {@code s} is a valid id: exactly what {@link #ID} matches (dot-separated labels of
     * {@code [a-z0-9_-]}, each beginning and ending with {@code [a-z0-9]}), checked by hand. It
     * runs for every id of every record a node syncs or hears, where a matcher costs an
     * allocation and a walk of the pattern's groups per id.
     */
    public static boolean isValidId(String s) {
        int n = s.length();
        int labelStart = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || s.charAt(i) == '.') {
                if (i == labelStart || !idEdge(s.charAt(labelStart)) || !idEdge(s.charAt(i - 1))) return false;
                labelStart = i + 1;
            } else {
                char c = s.charAt(i);
                if (!idEdge(c) && c != '_' && c != '-') return false;
            }
        }
        return true;
    }

    private static boolean idEdge(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    static final Set<String> GPACK_KEYS = Set.of("id", "name", "version", "description", "license", "ggen_compat",
            "authors", "keywords", "categories", "tags", "homepage", "repository", "readme");
    static final Set<String> TOP_KEYS = Set.of("gpack", "dependencies", "templates", "macros", "rdf", "queries", "shapes", "preset");

    /** The outcome of loading a pack directory: the manifest (null if errors), problems, files. */
    public record Loaded(GpackManifest manifest, List<ManifestProblem> problems, List<String> coveredFiles, GpackManifest draft) {
        /** Rules that are lint (quality), not structure: {@code publish --skip-verify} ignores these. */
        public static final Set<String> LINT_RULES = Set.of("glob-no-match", "url", "license", "missing-file", "unknown-key", "symlink");

        /** The manifest if the only errors are lint; null if structure is broken. */
        public GpackManifest ignoringLint() {
            if (draft == null) return null;
            boolean structural = problems.stream().anyMatch(p -> p.isError() && !LINT_RULES.contains(p.rule()));
            return structural ? null : draft;
        }

        public boolean ok() {
            return problems.stream().noneMatch(ManifestProblem::isError);
        }

        public List<ManifestProblem> errors() {
            return problems.stream().filter(ManifestProblem::isError).toList();
        }

        public List<ManifestProblem> warnings() {
            return problems.stream().filter(p -> !p.isError()).toList();
        }

        public GpackManifest orThrow() {
            if (!ok()) throw new ManifestException(problems);
            return manifest;
        }
    }

    private final Path file;
    private final List<ManifestProblem> problems = new ArrayList<>();
    private TomlParseResult toml;

    private ManifestParser(Path file) {
        this.file = file;
    }

    /** Loads {@code dir/gpack.toml} and checks it against the directory's files. */
    public static Loaded load(Path dir) {
        Path f = dir.resolve(FILE_NAME);
        ManifestParser p = new ManifestParser(f);
        if (!Files.isDirectory(dir)) {
            p.problem(0, 0, "missing-file", dir + " is not a directory");
            return new Loaded(null, p.problems, List.of(), null);
        }
        String text = p.read(f);
        if (text == null) return new Loaded(null, p.problems, List.of(), null);
        GpackManifest m = p.parse(text);
        if (m == null) return new Loaded(null, p.problems, List.of(), null);
        PackFiles.Listing listing = PackFiles.list(dir);
        for (String link : listing.skippedLinks()) {
            p.problems.add(new ManifestProblem(f, 0, 0, Severity.WARNING, "symlink", "'" + link + "' is a symbolic link and is left out of the archive; copy the file instead"));
        }
        p.checkFiles(m, dir, listing.files());
        List<String> covered = PackFiles.covered(m, listing.files());
        return new Loaded(p.ok() ? m : null, List.copyOf(p.problems), covered, m);
    }

    /** Parses manifest text without a directory (no file checks). */
    public static Loaded parseText(String text, Path file) {
        ManifestParser p = new ManifestParser(file);
        GpackManifest m = p.parse(text);
        return new Loaded(p.ok() ? m : null, List.copyOf(p.problems), List.of(), m);
    }

    private boolean ok() {
        return problems.stream().noneMatch(ManifestProblem::isError);
    }

    private String read(Path f) {
        try {
            long size = Files.size(f);
            if (size > MAX_MANIFEST_BYTES) {
                problem(0, 0, "limit", "manifest is " + size + " bytes; the limit is " + MAX_MANIFEST_BYTES);
                return null;
            }
            byte[] bytes = Files.readAllBytes(f);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            problem(0, 0, "missing-file", "no " + FILE_NAME + " in " + f.getParent() + "; a gpack needs a manifest with a [gpack] table");
        } catch (CharacterCodingException e) {
            problem(0, 0, "toml", "not valid UTF-8; TOML files must be UTF-8");
        } catch (IOException e) {
            problem(0, 0, "io", "cannot read: " + e.getMessage());
        }
        return null;
    }

    private void problem(int line, int col, String rule, String msg) {
        problems.add(new ManifestProblem(file, line, col, Severity.ERROR, rule, msg));
    }

    private void problem(TomlPosition pos, String rule, String msg) {
        if (pos == null) problem(0, 0, rule, msg);
        else problem(pos.line(), pos.column(), rule, msg);
    }

    private void warn(TomlPosition pos, String rule, String msg) {
        problems.add(new ManifestProblem(file, pos == null ? 0 : pos.line(), pos == null ? 0 : pos.column(), Severity.WARNING, rule, msg));
    }

    private TomlPosition pos(List<String> path) {
        try {
            return toml.inputPositionOf(path);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private GpackManifest parse(String text) {
        if (text.length() > MAX_MANIFEST_BYTES) {
            problem(0, 0, "limit", "manifest longer than " + MAX_MANIFEST_BYTES + " characters");
            return null;
        }
        TomlDocument doc = TomlDocument.parse(text);
        if (doc.hasErrors()) {
            doc.errors().forEach(e -> problem(e.position(), "toml", e.getMessage()));
            return null;
        }
        toml = doc.result();
        for (String k : toml.keySet()) {
            if (!TOP_KEYS.contains(k)) {
                warn(pos(List.of(k)), "unknown-key", "unknown key '" + k + "' is ignored" + Suggestions.closest(k, TOP_KEYS).map(c -> "; did you mean '" + c + "'?")
                        .orElse(" (known: " + String.join(", ", new java.util.TreeSet<>(TOP_KEYS)) + ")"));
            }
        }
        if (!toml.isTable("gpack")) {
            if (toml.contains("gpack")) problem(pos(List.of("gpack")), "type", "'gpack' must be a table ([gpack])");
            else problem(1, 1, "missing-field", "no [gpack] table; add one with id, name, version, description, license and ggen_compat");
            return null;
        }
        TomlTable g = toml.getTable("gpack");
        for (String k : g.keySet()) {
            if (!GPACK_KEYS.contains(k)) {
                warn(pos(List.of("gpack", k)), "unknown-key", "unknown key 'gpack." + k + "' is ignored"
                        + Suggestions.closest(k, GPACK_KEYS).map(c -> "; did you mean 'gpack." + c + "'?").orElse(""));
            }
        }
        String id = requiredString(g, "id");
        if (id != null) {
            if (id.length() > MAX_ID) problem(pos(List.of("gpack", "id")), "id-syntax", "id is longer than " + MAX_ID + " characters");
            else if (!isValidId(id)) {
                problem(pos(List.of("gpack", "id")), "id-syntax", "id '" + id + "' must be lower-case reverse-DNS segments of [a-z0-9_-] joined by dots, like io.ggen.rust.cli-subcommand");
            }
        }
        String name = requiredString(g, "name");
        String versionText = requiredString(g, "version");
        Version version = null;
        if (versionText != null) {
            try {
                version = Version.parse(versionText);
            } catch (VersionException e) {
                problem(valuePos(List.of("gpack", "version"), e.column()), "semver", "version " + e.getMessage());
            }
        }
        String description = requiredString(g, "description");
        String license = requiredString(g, "license");
        if (license != null && !license.matches("[A-Za-z0-9.+()\\- ]+")) {
            problem(pos(List.of("gpack", "license")), "license", "license '" + license + "' is not an SPDX expression (e.g. MIT, Apache-2.0, MIT OR Apache-2.0)");
        }
        String compatText = requiredString(g, "ggen_compat");
        VersionReq compat = compatText == null ? null : range(List.of("gpack", "ggen_compat"), compatText, "ggen_compat");
        List<String> authors = stringList(List.of("gpack", "authors"));
        List<String> keywords = stringList(List.of("gpack", "keywords"));
        List<String> categories = stringList(List.of("gpack", "categories"));
        List<String> tags = stringList(List.of("gpack", "tags"));
        String homepage = url(List.of("gpack", "homepage"));
        String repository = url(List.of("gpack", "repository"));
        String readme = optionalString(List.of("gpack", "readme"));

        SortedMap<String, VersionReq> deps = new TreeMap<>();
        if (toml.contains("dependencies")) {
            if (!toml.isTable("dependencies")) problem(pos(List.of("dependencies")), "type", "[dependencies] must be a table of id = \"range\"");
            else {
                TomlTable d = toml.getTable("dependencies");
                if (d.size() > MAX_LIST) problem(pos(List.of("dependencies")), "limit", "more than " + MAX_LIST + " dependencies");
                for (String dep : d.keySet()) {
                    List<String> path = List.of("dependencies", dep);
                    if (!isValidId(dep) || dep.length() > MAX_ID) {
                        problem(pos(path), "id-syntax", "dependency id '" + dep + "' is not a valid gpack id (lower-case reverse-DNS, like io.ggen.macros.std)");
                        continue;
                    }
                    if (dep.equals(id)) problem(pos(path), "dependency", "a gpack cannot depend on itself");
                    Object v = d.get(List.of(dep));
                    if (!(v instanceof String s)) {
                        problem(pos(path), "type", "dependency '" + dep + "' must be a version range string, like \"^0.1\"");
                        continue;
                    }
                    VersionReq r = range(path, s, "dependency '" + dep + "'");
                    if (r != null) deps.put(dep, r);
                }
            }
        }
        GpackManifest.Templates templates = new GpackManifest.Templates(patterns(List.of("templates", "patterns")), patterns(List.of("templates", "includes")));
        sectionIsTable("templates");
        sectionIsTable("macros");
        List<String> macroPaths = relativePaths(List.of("macros", "paths"));
        sectionIsTable("rdf");
        String base = optionalString(List.of("rdf", "base"));
        SortedMap<String, String> prefixes = stringMap(List.of("rdf", "prefixes"));
        GpackManifest.Rdf rdf = new GpackManifest.Rdf(base, prefixes, patterns(List.of("rdf", "patterns")), stringList(List.of("rdf", "inline")));
        sectionIsTable("queries");
        SortedMap<String, String> aliases = stringMap(List.of("queries", "aliases"));
        for (Map.Entry<String, String> a : aliases.entrySet()) checkRelative(List.of("queries", "aliases", a.getKey()), a.getValue());
        GpackManifest.Queries queries = new GpackManifest.Queries(patterns(List.of("queries", "patterns")), aliases);
        sectionIsTable("shapes");
        List<String> shapes = patterns(List.of("shapes", "patterns"));
        sectionIsTable("preset");
        String presetConfig = optionalString(List.of("preset", "config"));
        if (presetConfig != null) checkRelative(List.of("preset", "config"), presetConfig);
        if (readme != null) checkRelative(List.of("gpack", "readme"), readme);
        Map<String, Object> vars = toml.isTable(List.of("preset", "vars")) ? Collections.unmodifiableMap(new LinkedHashMap<>(toml.getTable(List.of("preset", "vars")).toMap())) : Map.of();
        // Built even when there are errors, so the file checks below still run and validate
        // reports everything at once; callers only see it when there are no errors.
        return new GpackManifest(new GpackManifest.Gpack(id, name, version, description, license, compat, authors, keywords, categories, tags, homepage, repository, readme),
                Collections.unmodifiableSortedMap(deps), templates, macroPaths, rdf, queries, shapes, new GpackManifest.Preset(presetConfig, vars));
    }

    /** Position of a character inside a quoted string value (column of the value + 1 + offset). */
    private TomlPosition valuePos(List<String> path, int offsetInValue) {
        TomlPosition p = pos(path);
        if (p == null) return null;
        // tomlj reports the key's position; the value follows 'key = "'. Locate it in the line.
        return p;
    }

    private void sectionIsTable(String key) {
        if (toml.contains(key) && !toml.isTable(key)) problem(pos(List.of(key)), "type", "'" + key + "' must be a table ([" + key + "])");
    }

    private String requiredString(TomlTable g, String key) {
        List<String> path = List.of("gpack", key);
        if (!g.contains(List.of(key))) {
            problem(pos(List.of("gpack")), "missing-field", "[gpack] has no '" + key + "'; it is required");
            return null;
        }
        Object v = g.get(List.of(key));
        if (!(v instanceof String s)) {
            problem(pos(path), "type", "'gpack." + key + "' must be a string");
            return null;
        }
        if (s.isBlank()) {
            problem(pos(path), "missing-field", "'gpack." + key + "' is empty");
            return null;
        }
        if (s.length() > MAX_STRING) {
            problem(pos(path), "limit", "'gpack." + key + "' is longer than " + MAX_STRING + " characters");
            return null;
        }
        return s;
    }

    private String optionalString(List<String> path) {
        if (!containsSafe(path)) return null;
        Object v = toml.get(path);
        if (!(v instanceof String s)) {
            problem(pos(path), "type", "'" + String.join(".", path) + "' must be a string");
            return null;
        }
        if (s.length() > MAX_STRING) {
            problem(pos(path), "limit", "'" + String.join(".", path) + "' is longer than " + MAX_STRING + " characters");
            return null;
        }
        return s;
    }

    private boolean containsSafe(List<String> path) {
        try {
            return toml.contains(path);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String url(List<String> path) {
        String s = optionalString(path);
        if (s == null) return null;
        try {
            URI u = new URI(s);
            if (u.getScheme() == null || !(u.getScheme().equals("https") || u.getScheme().equals("http")) || u.getHost() == null) {
                problem(pos(path), "url", "'" + String.join(".", path) + "' must be an http(s) URL, got '" + s + "'");
                return null;
            }
        } catch (URISyntaxException e) {
            problem(pos(path), "url", "'" + String.join(".", path) + "' is not a URL: " + e.getReason());
            return null;
        }
        return s;
    }

    private List<String> stringList(List<String> path) {
        if (!containsSafe(path)) return List.of();
        Object v = toml.get(path);
        String name = String.join(".", path);
        if (!(v instanceof TomlArray a)) {
            problem(pos(path), "type", "'" + name + "' must be a list of strings, like [\"a\", \"b\"]");
            return List.of();
        }
        if (a.size() > MAX_LIST) {
            problem(pos(path), "limit", "'" + name + "' has more than " + MAX_LIST + " entries");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            Object o = a.get(i);
            if (!(o instanceof String s)) {
                TomlPosition p = a.inputPositionOf(i);
                problem(p, "type", "'" + name + "' entry " + (i + 1) + " must be a string");
                continue;
            }
            if (s.length() > MAX_STRING) {
                problem(a.inputPositionOf(i), "limit", "'" + name + "' entry " + (i + 1) + " is too long");
                continue;
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    private SortedMap<String, String> stringMap(List<String> path) {
        SortedMap<String, String> out = new TreeMap<>();
        if (!containsSafe(path)) return out;
        if (!toml.isTable(path)) {
            problem(pos(path), "type", "'" + String.join(".", path) + "' must be a table of strings");
            return out;
        }
        TomlTable t = toml.getTable(path);
        if (t.size() > MAX_LIST) {
            problem(pos(path), "limit", "'" + String.join(".", path) + "' has more than " + MAX_LIST + " entries");
            return out;
        }
        for (String k : t.keySet()) {
            Object v = t.get(List.of(k));
            List<String> p = new ArrayList<>(path);
            p.add(k);
            if (v instanceof String s) out.put(k, s);
            else problem(pos(p), "type", "'" + String.join(".", p) + "' must be a string");
        }
        return out;
    }

    private List<String> patterns(List<String> path) {
        List<String> list = stringList(path);
        TomlPosition p = pos(path);
        for (String g : list) {
            try {
                Glob.compile(g);
            } catch (IllegalArgumentException e) {
                problem(p, "glob", "pattern '" + g + "' in '" + String.join(".", path) + "': " + e.getMessage());
            }
        }
        return list;
    }

    private List<String> relativePaths(List<String> path) {
        List<String> list = stringList(path);
        for (String s : list) checkRelative(path, s);
        return list;
    }

    private void checkRelative(List<String> path, String s) {
        boolean bad = s.isEmpty() || s.startsWith("/") || s.contains("\\") || s.matches("^[A-Za-z]:.*");
        for (String seg : s.split("/")) if (seg.equals("..")) bad = true;
        if (bad) problem(pos(path), "path", "'" + String.join(".", path) + "' = '" + s + "' must be a relative path inside the pack (no '..', no leading '/')");
    }

    private VersionReq range(List<String> path, String text, String what) {
        try {
            return VersionReq.parse(text);
        } catch (VersionException e) {
            problem(pos(path), "range", what + " '" + text + "' is not a valid version range: " + e.getMessage() + " (at character " + (e.column() + 1) + "; e.g. \"^0.1\", \">=0.1 <0.2\")");
            return null;
        }
    }

    private void checkFiles(GpackManifest m, Path dir, List<String> files) {
        checkGlobs(List.of("templates", "patterns"), m.templates().patterns(), files);
        checkGlobs(List.of("templates", "includes"), m.templates().includes(), files);
        checkGlobs(List.of("rdf", "patterns"), m.rdf().patterns(), files);
        checkGlobs(List.of("queries", "patterns"), m.queries().patterns(), files);
        checkGlobs(List.of("shapes", "patterns"), m.shapePatterns(), files);
        for (String p : m.macroPaths()) checkPath(List.of("macros", "paths"), p, files);
        for (Map.Entry<String, String> a : m.queries().aliases().entrySet()) checkPath(List.of("queries", "aliases", a.getKey()), a.getValue(), files);
        if (m.preset().config() != null) checkPath(List.of("preset", "config"), m.preset().config(), files);
        if (m.gpack().readme() != null) checkPath(List.of("gpack", "readme"), m.gpack().readme(), files);
    }

    private void checkGlobs(List<String> path, List<String> patterns, List<String> files) {
        for (String g : patterns) {
            Glob glob;
            try {
                glob = Glob.compile(g);
            } catch (IllegalArgumentException e) {
                continue; // already reported
            }
            if (files.stream().noneMatch(glob::matches)) {
                problem(pos(path), "glob-no-match", "pattern '" + g + "' in '" + String.join(".", path) + "' matches no file in the pack; fix the pattern or remove it");
            }
        }
    }

    private void checkPath(List<String> path, String p, List<String> files) {
        String clean = PackFiles.strip(p);
        if (files.stream().noneMatch(f -> f.equals(clean) || f.startsWith(clean + "/"))) {
            problem(pos(path), "missing-file", "'" + String.join(".", path) + "' names '" + p + "', which is not in the pack");
        }
    }
}
