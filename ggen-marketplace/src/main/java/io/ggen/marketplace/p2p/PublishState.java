package io.ggen.marketplace.p2p;

import io.ggen.marketplace.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which of this node's own releases have been announced on the network ({@code announced.txt},
 * one {@code id@version} per line, rewritten atomically). A release published while no node ran
 * is missing from it, so the node announces it when it next starts. A damaged file only means
 * some releases are announced again, which receivers ignore as already known.
 */
public final class PublishState {
    /** Own releases remembered; beyond this the oldest are forgotten (and at worst re-announced). */
    static final int MAX_ENTRIES = 100_000;
    private static final Pattern LINE = Pattern.compile("[A-Za-z0-9._-]{1,128}@[0-9A-Za-z.+-]{1,128}");

    private final Path file;
    private final Set<String> announced = new LinkedHashSet<>();

    public PublishState(Path file) {
        this.file = file;
        try {
            if (Files.size(file) <= 64L << 20) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (String l : lines) if (LINE.matcher(l.trim()).matches()) announced.add(l.trim());
            }
        } catch (NoSuchFileException e) {
            // nothing announced yet
        } catch (IOException | RuntimeException e) {
            // unreadable: everything own is announced again, which is harmless
        }
    }

    public synchronized boolean isAnnounced(String coordinates) {
        return announced.contains(coordinates);
    }

    public synchronized void markAnnounced(String coordinates) throws IOException {
        if (!announced.add(coordinates)) return;
        while (announced.size() > MAX_ENTRIES) announced.remove(announced.iterator().next());
        AtomicFiles.write(file, (String.join("\n", announced) + "\n").getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY, true);
    }
}
