package io.ggen.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.crypto.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
}
