package io.ggen.marketplace.manifest;

import io.ggen.marketplace.text.TomlDocument;
import io.ggen.marketplace.version.Version;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Sets the version in a {@code gpack.toml}'s text, for {@code publish} with a version of its own:
 * the released archive then carries a manifest that says what the release record and
 * {@code ggen.lock} say. Only the version string's characters change (comments, order and
 * layout stay), and the result is parsed again and must equal the original manifest but for
 * the version; a version written in a form this cannot rewrite safely (a multi-line string, an
 * escape) gives nothing, and the caller refuses.
 */
public final class ManifestVersion {
    private ManifestVersion() {}

    /** {@code text} with {@code [gpack] version} set to {@code version}; empty when it cannot be rewritten safely. */
    public static Optional<String> rewrite(String text, Version version) {
        TomlDocument doc = TomlDocument.parse(text);
        if (doc.hasErrors()) return Optional.empty();
        TomlParseResult toml = doc.result();
        if (!(toml.get(List.of("gpack", "version")) instanceof String)) return Optional.empty();
        TomlPosition pos;
        try {
            pos = toml.inputPositionOf(List.of("gpack", "version"));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (pos == null) return Optional.empty();
        int lineStart = 0;
        for (int line = 1; line < pos.line(); line++) {
            int nl = text.indexOf('\n', lineStart);
            if (nl < 0) return Optional.empty();
            lineStart = nl + 1;
        }
        int lineEnd = text.indexOf('\n', lineStart);
        if (lineEnd < 0) lineEnd = text.length();
        int at = lineStart + pos.column() - 1;
        if (at < lineStart || at > lineEnd) return Optional.empty();
        int eq = text.indexOf('=', at);
        if (eq < 0 || eq >= lineEnd) return Optional.empty();
        int open = eq + 1;
        while (open < lineEnd && (text.charAt(open) == ' ' || text.charAt(open) == '\t')) open++;
        if (open >= lineEnd) return Optional.empty();
        char quote = text.charAt(open);
        if (quote != '"' && quote != '\'') return Optional.empty();
        if (open + 1 < lineEnd && text.charAt(open + 1) == quote) return Optional.empty(); // empty or multi-line string
        int close = open + 1;
        while (close < lineEnd && text.charAt(close) != quote) {
            if (text.charAt(close) == '\\' && quote == '"') return Optional.empty(); // an escape: not a plain version
            close++;
        }
        if (close >= lineEnd) return Optional.empty();
        String rewritten = text.substring(0, open + 1) + version + text.substring(close);
        return sameButVersion(text, rewritten, version) ? Optional.of(rewritten) : Optional.empty();
    }

    /** Whether {@code after} parses to the manifest {@code before} parses to, with {@code version} as its version. */
    private static boolean sameButVersion(String before, String after, Version version) {
        Path file = Path.of(ManifestParser.FILE_NAME);
        GpackManifest a = ManifestParser.parseText(before, file).draft();
        GpackManifest b = ManifestParser.parseText(after, file).draft();
        if (a == null || b == null || b.version() == null || !b.version().toString().equals(version.toString())) return false;
        return withVersion(a, version).equals(withVersion(b, version));
    }

    static GpackManifest withVersion(GpackManifest m, Version v) {
        GpackManifest.Gpack g = m.gpack();
        GpackManifest.Gpack moved = new GpackManifest.Gpack(g.id(), g.name(), v, g.description(), g.license(), g.ggenCompat(), g.authors(),
                g.keywords(), g.categories(), g.tags(), g.homepage(), g.repository(), g.readme());
        return new GpackManifest(moved, m.dependencies(), m.templates(), m.macroPaths(), m.rdf(), m.queries(), m.shapePatterns(), m.preset());
    }
}
