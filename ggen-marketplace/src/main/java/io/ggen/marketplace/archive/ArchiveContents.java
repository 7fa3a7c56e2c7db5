package io.ggen.marketplace.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * What is inside a pack archive, read without unpacking it: the files with their sizes, and the
 * text of the few files asked for (a readme). The archive is hostile as in {@link SafeUnpacker}:
 * the same entry-name rules, entry count, expansion and ratio limits apply, links and devices
 * are refused, and a wanted file's text is kept only up to {@code maxTextBytes} (longer text is
 * cut there and said to be), and only when it is UTF-8.
 */
public final class ArchiveContents {
    /** At most this many files are listed; an archive may hold more (up to its entry limit). */
    public static final int MAX_LISTED = 2000;

    /** One regular file of the pack: its path inside the pack and its size in bytes. */
    public record FileEntry(String path, long size) {}

    /** A wanted file's text; {@code truncated} when the file was longer than the cap. */
    public record Text(String text, boolean truncated) {}

    /** The files (in archive order, at most {@link #MAX_LISTED}), how many there are, and the texts asked for by path. */
    public record Contents(List<FileEntry> files, int fileCount, long totalBytes, Map<String, Text> texts) {
        public Contents {
            files = List.copyOf(files);
            texts = Map.copyOf(texts);
        }
    }

    private ArchiveContents() {}

    /**
     * Lists the archive read from {@code compressed} and keeps the text of each regular file
     * {@code wanted} accepts (at most four of them).
     */
    public static Contents read(InputStream compressed, ArchiveLimits limits, Predicate<String> wanted, int maxTextBytes) {
        if (maxTextBytes < 0) throw new IllegalArgumentException("maxTextBytes < 0");
        try {
            return list(compressed, limits, wanted, maxTextBytes);
        } catch (IOException e) {
            throw new ArchiveException("cannot read the archive: " + e.getMessage() + " (is it a gzip-compressed tar?)", e);
        }
    }

    private static Contents list(InputStream compressed, ArchiveLimits limits, Predicate<String> wanted, int maxTextBytes) throws IOException {
        SafeUnpacker.CountingStream raw = new SafeUnpacker.CountingStream(compressed, Long.MAX_VALUE, null);
        SafeUnpacker.BombGuard guard = new SafeUnpacker.BombGuard(new GZIPInputStream(raw, 1 << 16), raw, limits);
        StrictTarInputStream tar = new StrictTarInputStream(guard);
        Set<String> seen = new HashSet<>();
        List<FileEntry> files = new ArrayList<>();
        Map<String, Text> texts = new LinkedHashMap<>();
        int fileCount = 0;
        long total = 0;
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (seen.size() >= limits.maxEntries()) throw new ArchiveException("archive has more than " + limits.maxEntries() + " entries");
            String name = SafeUnpacker.normalise(e.getName(), limits);
            if (name.isEmpty() && e.isDirectory()) continue;
            if (!seen.add(name)) throw new ArchiveException("archive has a duplicate entry '" + SafeUnpacker.shown(name) + "'");
            if (e.isDirectory()) continue;
            if (!SafeUnpacker.isRegularFile(e)) {
                throw new ArchiveException("archive entry '" + SafeUnpacker.shown(name) + "' is not a regular file or directory; packs may contain only those");
            }
            fileCount++;
            total = Math.addExact(total, Math.max(0, e.getSize()));
            if (files.size() < MAX_LISTED) files.add(new FileEntry(name, e.getSize()));
            if (texts.size() < 4 && wanted.test(name)) {
                readText(tar, maxTextBytes).ifPresent(t -> texts.put(name, t));
            }
        }
        // Read to the end, so a verifying source (the store's) checks the whole object's hash.
        guard.transferTo(java.io.OutputStream.nullOutputStream());
        raw.transferTo(java.io.OutputStream.nullOutputStream());
        return new Contents(files, fileCount, total, texts);
    }

    /** The current entry as UTF-8 text, up to {@code max} bytes (cut at a character boundary); empty when it is not UTF-8. */
    private static java.util.Optional<Text> readText(InputStream entry, int max) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(Math.min(max, 1 << 16));
        byte[] chunk = new byte[8192];
        boolean truncated = false;
        int n;
        while ((n = entry.read(chunk)) > 0) {
            int room = max - buf.size();
            if (n > room) {
                buf.write(chunk, 0, room);
                truncated = true;
                break;
            }
            buf.write(chunk, 0, n);
        }
        byte[] bytes = buf.toByteArray();
        int end = bytes.length;
        // A cut may split a multi-byte character: step back to the start of the last one.
        if (truncated) {
            int back = 0;
            while (end > 0 && back < 4 && (bytes[end - 1] & 0xC0) == 0x80) {
                end--;
                back++;
            }
            if (end > 0 && (bytes[end - 1] & 0x80) != 0) end--;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end)).toString();
            return java.util.Optional.of(new Text(text, truncated));
        } catch (CharacterCodingException ex) {
            return java.util.Optional.empty();
        }
    }
}
