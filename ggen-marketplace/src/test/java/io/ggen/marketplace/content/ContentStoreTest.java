package io.ggen.marketplace.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
    @TempDir
    Path dir;

    @Test
    void storesUnderTwoHexThenTheRest() throws Exception {
        ContentStore store = new ContentStore(dir);
        ContentId id = store.put("gpack".getBytes());
        assertThat(store.pathOf(id)).isEqualTo(dir.resolve("objects").resolve(id.hex().substring(0, 2)).resolve(id.hex().substring(2)));
        assertThat(store.get(id)).isEqualTo("gpack".getBytes());
        assertThat(store.put("gpack".getBytes())).isEqualTo(id);
        assertThat(store.list()).containsExactly(id);
        Path f = dir.resolve("f");
        Files.write(f, "gpack".getBytes());
        assertThat(store.putFile(f)).isEqualTo(id);
        assertThat(Files.list(dir.resolve("tmp")).count()).isZero();
    }

    @Test
    void aCorruptObjectIsReportedQuarantinedAndNeverServed() throws Exception {
        ContentStore store = new ContentStore(dir);
        ContentId id = store.put("original bytes".getBytes());
        Files.write(store.pathOf(id), "tampered bytes".getBytes());
        assertThatThrownBy(() -> store.get(id)).isInstanceOf(CorruptObjectException.class).hasMessageContaining("corrupt");
        assertThat(store.contains(id)).isFalse();
        assertThat(Files.list(dir.resolve("corrupt")).count()).isEqualTo(1);
        assertThatThrownBy(() -> store.get(id)).hasMessageContaining("not in the store");
    }

    @Test
    void streamingReadFailsAtTheEndOnATruncatedObject() throws Exception {
        ContentStore store = new ContentStore(dir);
        ContentId id = store.put(new byte[100_000]);
        Files.write(store.pathOf(id), new byte[50_000]);
        assertThatThrownBy(() -> {
            try (InputStream in = store.open(id)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }).isInstanceOf(CorruptObjectException.class);
        assertThat(store.contains(id)).isFalse();
    }

    /** A temp file as the process {@code p} names its own. */
    private static String tempNameOf(ProcessHandle p) {
        return "put-" + p.pid() + "-" + p.info().startInstant().orElseThrow().toEpochMilli() + "-123456789.tmp";
    }

    @Test
    void theTempFilesOfAKilledProcessAreLeftoversAtOnceWhileLiveOnesStay() throws Exception {
        ContentStore store = new ContentStore(dir);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process killed = new ProcessBuilder("sleep", "600").start();
        Process alive = new ProcessBuilder("sleep", "600").start();
        try {
            Path left = Files.write(tmp.resolve(tempNameOf(killed.toHandle())), new byte[3000]);
            Path otherLive = Files.write(tmp.resolve(tempNameOf(alive.toHandle())), new byte[10]);
            killed.destroyForcibly();
            killed.waitFor();
            try (ContentStore.Staged mine = store.stage(out -> out.write(new byte[20]))) {
                assertThat(store.staleTemp(java.time.Duration.ofHours(1))).isEqualTo(new ContentStore.TempFiles(1, 3000));
                assertThat(store.cleanTemp(java.time.Duration.ofHours(1)).count()).isEqualTo(1);
                assertThat(left).doesNotExist();
                assertThat(otherLive).exists();
                assertThat(mine.file()).exists();
            }
        } finally {
            alive.destroyForcibly();
            killed.destroyForcibly();
        }
    }
}
