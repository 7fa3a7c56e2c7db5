package io.ggen.marketplace.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreTest {
    @TempDir
    Path home;

    @Test
    void generateStoresMode0600AndListsFingerprints() throws Exception {
        KeyStore ks = new KeyStore(home.resolve("keys"));
        KeyStore.KeyInfo k = ks.generate("default");
        Path f = home.resolve("keys/default.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("keys")))).isEqualTo("rwx------");
        assertThat(k.fingerprint()).hasSize(32).matches("[0-9a-f]+");
        assertThat(ks.list()).extracting(KeyStore.KeyInfo::fingerprint).containsExactly(k.fingerprint());
        assertThatThrownBy(() -> ks.generate("default")).hasMessageContaining("already exists");
    }

    @Test
    void exportImportKeepsTheKey() {
        KeyStore a = new KeyStore(home.resolve("a"));
        KeyStore b = new KeyStore(home.resolve("b"));
        KeyStore.KeyInfo k = a.generate("work");
        KeyStore.KeyInfo imported = b.importKey("work", a.exportSecret("work"));
        assertThat(imported.fingerprint()).isEqualTo(k.fingerprint());
        assertThat(KeyStore.parsePublic(a.exportPublic("work"))).isEqualTo(k.publicKey());
        assertThatThrownBy(() -> b.importKey("other", a.exportPublic("work"))).hasMessageContaining("is a public key");
        assertThatThrownBy(() -> b.importKey("other", "garbage")).hasMessageContaining("not a ggen publisher key");
    }

    @Test
    void refusesKeysOthersCanRead() throws Exception {
        KeyStore ks = new KeyStore(home.resolve("keys"));
        ks.generate("default");
        Files.setPosixFilePermissions(home.resolve("keys/default.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ks.load("default")).hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> ks.load("missing")).hasMessageContaining("key generate --name missing");
        assertThatThrownBy(() -> KeyStore.checkName("../x")).hasMessageContaining("key name");
    }
}
