package io.ggen.node.home;

import io.ggen.marketplace.fs.AtomicFiles;
import io.ggen.marketplace.fs.PrivateDirs;
import io.ggen.node.error.NodeError;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.InvalidKeyException;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PrivateKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The node's identity key, stored as the libp2p protobuf private key in
 * {@code <data dir>/identity.key} with mode 0600. Created on first start; an unreadable or
 * malformed file is an error and is never replaced, since replacing it would silently give the
 * node another peer id. A key file other users can read or write is refused (as ssh and our
 * publisher keys do): the user decides whether it leaked.
 */
public final class IdentityFile {
    public static final String NAME = "identity.key";

    private IdentityFile() {}

    public static PrivateKey loadOrCreate(DataDir dir) {
        dir.ensure();
        Path file = dir.resolve(NAME);
        if (Files.exists(file)) return load(file);
        PrivateKey key = Ed25519PrivateKey.generate();
        try {
            AtomicFiles.write(file, key.marshal(), AtomicFiles.OWNER_ONLY, false);
        } catch (IOException e) {
            throw new NodeError("cannot write the identity key " + file + ": " + e.getMessage());
        }
        return key;
    }

    static PrivateKey load(Path file) {
        byte[] data;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (PrivateDirs.othersCanAccess(perms)) {
                throw new NodeError("identity key " + file + " is open to other users (mode " + PosixFilePermissions.toString(perms)
                        + "); run 'chmod 600 " + file + "' if nobody else could have read it, else move it away to start with a new peer id");
            }
        } catch (UnsupportedOperationException notPosix) {
            // no modes to check
        } catch (IOException e) {
            throw new NodeError("cannot read the identity key " + file + ": " + e.getMessage());
        }
        try {
            if (Files.size(file) > Keys.MAX_ENCODED_PRIVATE_KEY) {
                throw new NodeError("identity key " + file + " is too large to be a key; move it away to create a new identity, or restore it from a backup");
            }
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new NodeError("cannot read the identity key " + file + ": " + e.getMessage());
        }
        try {
            return Keys.unmarshalPrivate(data);
        } catch (InvalidKeyException e) {
            throw new NodeError("identity key " + file + " is not a libp2p private key (" + e.getMessage()
                    + "); move it away to create a new identity, or restore it from a backup");
        }
    }
}
