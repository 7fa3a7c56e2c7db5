package io.ggen.marketplace.install;

import io.ggen.marketplace.text.TomlDocument;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.fs.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * ggen's project lockfile, {@code ggen.lock}, in ggen's TOML format: {@code version = "1.0"},
 * {@code generated} (RFC 3339) and {@code [[packs]]} entries with id, version, sha256 (of the
 * archive), source and dependencies ({@code "id@range"}, sorted), one entry per id, sorted by
 * id. We add {@code publisher} (the key fingerprint); ggen ignores keys it does not know.
 * Written atomically (temp file, fsync, rename).
 */
public final class Lockfile {
    public static final String FILE_NAME = "ggen.lock";
    private static final long MAX_BYTES = 8L << 20;

    public record Entry(String id, String version, String sha256, String source, List<String> dependencies, String publisher) {}

    private final Map<String, Entry> entries = new TreeMap<>();
    private String generated;

    public static Lockfile read(Path file) {
        Lockfile l = new Lockfile();
        if (!Files.exists(file)) return l;
        try {
            if (Files.size(file) > MAX_BYTES) throw new MarketplaceException(Kind.INVALID, file + " is larger than " + MAX_BYTES + " bytes");
            TomlDocument doc = TomlDocument.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (doc.hasErrors()) {
                var e = doc.errors().get(0);
                throw new MarketplaceException(Kind.INVALID, file + ":" + e.position().line() + ":" + e.position().column() + ": " + e.getMessage()
                        + " (fix or delete the lockfile)");
            }
            TomlParseResult t = doc.result();
            l.generated = t.getString("generated");
            TomlArray packs = t.getArrayOrEmpty("packs");
            for (int i = 0; i < packs.size(); i++) {
                if (!(packs.get(i) instanceof TomlTable p)) continue;
                List<String> deps = new ArrayList<>();
                TomlArray d = p.getArrayOrEmpty("dependencies");
                for (int k = 0; k < d.size(); k++) if (d.get(k) instanceof String s) deps.add(s);
                String id = p.getString("id");
                if (id == null) continue;
                l.entries.put(id, new Entry(id, p.getString("version"), p.getString("sha256"), p.getString("source"), deps, p.getString("publisher")));
            }
            return l;
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public String generated() {
        return generated;
    }

    /** Replaces the entry with this id (ggen's upsert). */
    public void upsert(Entry e) {
        List<String> deps = new ArrayList<>(e.dependencies());
        deps.sort(Comparator.naturalOrder());
        entries.put(e.id(), new Entry(e.id(), e.version(), e.sha256(), e.source(), List.copyOf(deps), e.publisher()));
    }

    public String render(Instant now) {
        StringBuilder sb = new StringBuilder();
        sb.append("version = \"1.0\"\n");
        sb.append("generated = ").append(quote(now.truncatedTo(ChronoUnit.SECONDS).toString())).append('\n');
        for (Entry e : entries.values()) {
            sb.append("\n[[packs]]\n");
            sb.append("id = ").append(quote(e.id())).append('\n');
            sb.append("version = ").append(quote(e.version())).append('\n');
            sb.append("sha256 = ").append(quote(e.sha256())).append('\n');
            sb.append("source = ").append(quote(e.source())).append('\n');
            if (!e.dependencies().isEmpty()) {
                sb.append("dependencies = [");
                for (int i = 0; i < e.dependencies().size(); i++) sb.append(i == 0 ? "" : ", ").append(quote(e.dependencies().get(i)));
                sb.append("]\n");
            }
            if (e.publisher() != null) sb.append("publisher = ").append(quote(e.publisher())).append('\n');
        }
        return sb.toString();
    }

    public void write(Path file, Instant now) {
        try {
            AtomicFiles.write(file, render(now).getBytes(StandardCharsets.UTF_8), null, true);
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
