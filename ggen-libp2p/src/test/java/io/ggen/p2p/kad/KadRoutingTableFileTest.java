package io.ggen.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.crypto.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The routing table saved in the data directory, after a process was killed while saving it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KadRoutingTableFileTest {
    @TempDir
    Path dir;

    @Test
    void aHalfWrittenSaveLeftByAKillIsRemovedAtStartAndTheSavedTableStillLoads() throws Exception {
        Path table = dir.resolve("dht-routing-table.txt");
        PeerId known = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Files.writeString(table, "# ggen kad routing table v1\n" + known + " /ip4/127.0.0.1/tcp/4001\n");
        Path half = dir.resolve("dht-routing-table.txt.tmp");
        Files.writeString(half, "# ggen kad routing table v1\n12D3KooW");
        try (NettyHost host = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()))) {
            KadDht dht = KadDht.start(host, KadConfig.defaults().withRoutingTableFile(table));
            try {
                assertThat(half).doesNotExist();
                assertThat(host.peerStore().addrs(known)).extracting(Object::toString).containsExactly("/ip4/127.0.0.1/tcp/4001");
            } finally {
                dht.close();
            }
        }
    }

    @Test
    void savesThatFinishTogetherDoNotMoveEachOthersFileAway() throws Exception {
        Path table = dir.resolve("dht-routing-table.txt");
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        Logger log = (Logger) LoggerFactory.getLogger(KadDht.class);
        warnings.start();
        log.addAppender(warnings);
        try (NettyHost host = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()))) {
            KadDht dht = KadDht.start(host, KadConfig.defaults().withRoutingTableFile(table));
            try {
                // As a bootstrap, a refresh and close finishing at once do, several threads at a time.
                List<Thread> savers = new ArrayList<>();
                for (int t = 0; t < 8; t++) savers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 50; i++) dht.saveTable();
                }));
                for (Thread t : savers) t.join();
            } finally {
                dht.close();
            }
        } finally {
            log.detachAppender(warnings);
        }
        assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("cannot save the DHT routing table"));
        assertThat(table).exists().content().startsWith("# ggen kad routing table v1\n");
        assertThat(dir.resolve("dht-routing-table.txt.tmp")).doesNotExist();
    }
}
