package io.ggen.marketplace.keys;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.fs.AtomicFiles;
import io.ggen.marketplace.fs.PrivateDirs;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.Ed25519PublicKey;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.crypto.PublicKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Publisher keys (Ed25519) in {@code $GGEN_HOME/keys/<name>.key}, one per file, mode 0600 in a
 * 0700 directory (created with those modes, never widened afterwards). A key file is one line:
 * {@code ggen-ed25519-secret-v1 <base64 of the libp2p protobuf PrivateKey>}. An exported public
 * key is {@code ggen-ed25519-public-v1 <base64 of the libp2p protobuf PublicKey>}. Loading a key
 * file that others can read is refused, as ssh does.
 */
public final class KeyStore {
    public static final String DEFAULT_NAME = "default";
    public static final String SECRET_TAG = "ggen-ed25519-secret-v1";
    public static final String PUBLIC_TAG = "ggen-ed25519-public-v1";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final int MAX_KEY_FILE = 4096;

    public record KeyInfo(String name, String fingerprint, Ed25519PublicKey publicKey) {}

    private final Path dir;

    public KeyStore(Path dir) {
        this.dir = dir;
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new MarketplaceException(Kind.USAGE, "key name '" + name + "' must be 1-64 characters of [a-z0-9_-], starting with a letter or digit");
        }
    }

    private Path file(String name) {
        checkName(name);
        return dir.resolve(name + ".key");
    }

    public boolean exists(String name) {
        return Files.exists(file(name));
    }

    public KeyInfo generate(String name) {
        return save(name, Ed25519PrivateKey.generate());
    }

    /** Imports a key exported with {@link #exportSecret}; refuses to overwrite. */
    public KeyInfo importKey(String name, String text) {
        return save(name, parseSecret(text.strip(), "the imported text"));
    }

    private KeyInfo save(String name, Ed25519PrivateKey key) {
        Path f = file(name);
        if (Files.exists(f)) throw new MarketplaceException(Kind.CONFLICT, "a key named '" + name + "' already exists (" + f + "); choose another name");
        try {
            createPrivateDir();
            String line = SECRET_TAG + " " + Base64.getEncoder().encodeToString(Keys.marshalPrivate(key)) + "\n";
            AtomicFiles.write(f, line.getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY, false);
            return new KeyInfo(name, Fingerprint.of(key.publicKey()), key.publicKey());
        } catch (FileAlreadyExistsException e) {
            throw new MarketplaceException(Kind.CONFLICT, "a key named '" + name + "' already exists");
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot write key " + f + ": " + e.getMessage(), e);
        }
    }

    private void createPrivateDir() throws IOException {
        PrivateDirs.create(dir); // and the data directory above it, when this is the first thing ever written there
    }

    public Ed25519PrivateKey load(String name) {
        Path f = file(name);
        if (!Files.exists(f)) {
            throw new MarketplaceException(Kind.NOT_FOUND, "no publisher key named '" + name + "'; create one with 'ggen marketplace key generate"
                    + (name.equals(DEFAULT_NAME) ? "" : " --name " + name) + "'");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new MarketplaceException(Kind.VERIFICATION, "key file " + f + " is readable by others (mode " + PosixFilePermissions.toString(perms)
                        + "); run 'chmod 600 " + f + "'");
            }
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot read key " + f + ": " + e.getMessage(), e);
        }
        try {
            if (Files.size(f) > MAX_KEY_FILE) throw new MarketplaceException(Kind.INVALID, "key file " + f + " is too large to be a key");
            return parseSecret(Files.readString(f, StandardCharsets.US_ASCII).strip(), f.toString());
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot read key " + f + ": " + e.getMessage(), e);
        }
    }

    public List<KeyInfo> list() {
        List<KeyInfo> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.key")) {
            for (Path f : files) {
                String name = f.getFileName().toString().replaceFirst("\\.key$", "");
                if (!NAME.matcher(name).matches()) continue;
                Ed25519PrivateKey k = load(name);
                out.add(new KeyInfo(name, Fingerprint.of(k.publicKey()), k.publicKey()));
            }
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(KeyInfo::name));
        return out;
    }

    public String exportPublic(String name) {
        return formatPublic(load(name).publicKey());
    }

    public static String formatPublic(PublicKey key) {
        return PUBLIC_TAG + " " + Base64.getEncoder().encodeToString(key.marshal());
    }

    public String exportSecret(String name) {
        return SECRET_TAG + " " + Base64.getEncoder().encodeToString(Keys.marshalPrivate(load(name)));
    }

    /** Parses an exported public key line. */
    public static Ed25519PublicKey parsePublic(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 2 || !parts[0].equals(PUBLIC_TAG)) {
            throw new MarketplaceException(Kind.INVALID, "not an exported public key (expected '" + PUBLIC_TAG + " <base64>')");
        }
        try {
            PublicKey k = Keys.unmarshalPublic(Base64.getDecoder().decode(parts[1]));
            if (!(k instanceof Ed25519PublicKey e)) throw new MarketplaceException(Kind.INVALID, "publisher keys must be Ed25519");
            return e;
        } catch (IllegalArgumentException e) {
            throw new MarketplaceException(Kind.INVALID, "public key is malformed: " + e.getMessage());
        }
    }

    private static Ed25519PrivateKey parseSecret(String text, String where) {
        String[] parts = text.split("\\s+");
        if (parts.length == 2 && parts[0].equals(PUBLIC_TAG)) {
            throw new MarketplaceException(Kind.INVALID, where + " is a public key; importing needs the secret key exported with 'ggen marketplace key export --secret'");
        }
        if (parts.length != 2 || !parts[0].equals(SECRET_TAG)) {
            throw new MarketplaceException(Kind.INVALID, where + " is not a ggen publisher key (expected '" + SECRET_TAG + " <base64>')");
        }
        try {
            PrivateKey k = Keys.unmarshalPrivate(Base64.getDecoder().decode(parts[1]));
            if (!(k instanceof Ed25519PrivateKey e)) throw new MarketplaceException(Kind.INVALID, where + ": publisher keys must be Ed25519");
            return e;
        } catch (IllegalArgumentException e) {
            throw new MarketplaceException(Kind.INVALID, where + " holds a malformed key: " + e.getMessage());
        }
    }
}
