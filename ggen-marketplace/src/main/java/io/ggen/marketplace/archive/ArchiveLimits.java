package io.ggen.marketplace.archive;

/**
 * Bounds for packing and, above all, for unpacking archives from others, checked before
 * anything is allocated or written.
 *
 * @param maxPackBytes   total size of the files a pack may contain (packing)
 * @param maxExpandedBytes total bytes an archive may expand to (unpacking)
 * @param maxRatio       expanded / compressed bytes beyond which an archive is a bomb
 * @param ratioFloorBytes expansion below which the ratio is not checked (tiny text compresses well)
 * @param maxEntries     entries in one archive
 * @param maxPathLength  characters in one entry name
 */
public record ArchiveLimits(long maxPackBytes, long maxExpandedBytes, int maxRatio, long ratioFloorBytes, int maxEntries, int maxPathLength) {
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(256L << 20, 512L << 20, 200, 1L << 20, 20_000, 1024);

    public ArchiveLimits withMaxPackBytes(long bytes) {
        return new ArchiveLimits(bytes, Math.max(maxExpandedBytes, bytes), maxRatio, ratioFloorBytes, maxEntries, maxPathLength);
    }
}
