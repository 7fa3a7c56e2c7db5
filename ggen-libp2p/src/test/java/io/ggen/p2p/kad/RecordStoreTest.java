package io.ggen.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordStoreTest {
    private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");

    private static ValueRecord record(String key, int valueBytes) {
        return new ValueRecord(key.getBytes(StandardCharsets.UTF_8), new byte[valueBytes], NOW);
    }

    @Test
    void largeRecordsAreBoundedByTheirBytesNotOnlyTheirCount() {
        // The default bounds: the count alone would let 10,000 records of 64 KiB through.
        RecordStore store = new RecordStore(10_000, Duration.ofHours(36));
        for (int i = 0; i < 2_000; i++) store.put(record("/ggen/pkg/big" + i, KadCodec.MAX_VALUE));
        assertThat(store.bytes()).isLessThanOrEqualTo(RecordStore.MAX_BYTES);
        assertThat(store.size()).isLessThan(2_000);
        // the newest stay, the oldest went first
        assertThat(store.get("/ggen/pkg/big1999".getBytes(StandardCharsets.UTF_8), NOW)).isPresent();
        assertThat(store.get("/ggen/pkg/big0".getBytes(StandardCharsets.UTF_8), NOW)).isEmpty();
    }

    @Test
    void replacingSweepingAndExpiringKeepTheByteCountTrue() {
        RecordStore store = new RecordStore(100, 20_000, Duration.ofMinutes(1));
        store.put(record("a", 1_000));
        store.put(record("a", 3_000));
        store.put(record("b", 2_000));
        assertThat(store.bytes()).isEqualTo(1 + 3_000 + 1 + 2_000);
        store.put(new ValueRecord("c".getBytes(StandardCharsets.UTF_8), new byte[5_000], NOW.plusSeconds(120)));
        assertThat(store.bytes()).isEqualTo(3_001 + 2_001 + 5_001);
        assertThat(store.sweep(NOW.plusSeconds(90))).isEqualTo(2);
        assertThat(store.bytes()).isEqualTo(5_001);
        assertThat(store.get("c".getBytes(StandardCharsets.UTF_8), NOW.plusSeconds(200))).isEmpty();
        assertThat(store.bytes()).isZero();
        store.put(record("d", 30_000));
        assertThat(store.size()).isZero();
        assertThat(store.bytes()).isZero();
    }
}
