package io.ggen.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short crash loop of {@code ./test}: a dozen kill -9 spread over publish, install, catalog
 * sync and the start-up republish, each followed by a restart and the invariant check. The long
 * form is {@code scripts/crashloop} (the same loop; {@code crashloop.kills}, {@code crashloop.seed}
 * and the sizes come in as system properties). The summary is also written to
 * {@code target/crashloop/summary.txt}.
 */
class CrashLoopIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 24, unit = TimeUnit.HOURS) // bounded by crashloop.minutes (no kill starts after it) and each step's own limits
    void killsAtRandomMomentsBreakNoInvariant() throws Exception {
        int kills = Integer.getInteger("crashloop.kills", 10);
        long seed = Long.getLong("crashloop.seed", System.nanoTime());
        CrashLoop.Options options = new CrashLoop.Options(kills, seed, tmp, Integer.getInteger("crashloop.pack_mib", 2),
                Integer.getInteger("crashloop.sync_releases", 2_000), Integer.getInteger("crashloop.owned_packages", 8),
                Duration.ofMinutes(Integer.getInteger("crashloop.minutes", 10)), System.out);
        System.out.println("[crashloop] seed " + seed + ", " + kills + " kills, load " + CrashLoop.loadAverage());
        CrashLoop.Summary summary = CrashLoop.run(options);
        String report = "seed " + seed + "\nload average at the end: " + CrashLoop.loadAverage() + "\n" + summary.render();
        Path out = Files.createDirectories(Path.of("target", "crashloop"));
        Files.writeString(out.resolve("summary.txt"), report);
        System.out.println(report);
        assertThat(summary.violations()).as(report).isEmpty();
    }
}
