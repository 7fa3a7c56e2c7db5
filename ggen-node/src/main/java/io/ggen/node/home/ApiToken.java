package io.ggen.node.home;

import io.ggen.marketplace.fs.AtomicFiles;
import io.ggen.marketplace.fs.PrivateDirs;
import io.ggen.node.error.NodeError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API's bearer token: 32 random bytes in hex in {@code api.token} (mode 0600). Any
 * local user who can read the file can drive the node; nobody else can.
 */
public final class ApiToken {
    /** In a holder: the CLI reads the token on every command, and must not start logging to do so. */
    private static final class Log {
        static final Logger log = LoggerFactory.getLogger(ApiToken.class);
    }

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{64}");

    private ApiToken() {}

    /**
     * Reads the token, or creates one when the file is missing or malformed (it is not precious:
     * the node re-reads it at start). A token file that other users could read or write is
     * replaced by a new token in a new 0600 file: whoever read the old one has nothing.
     */
    public static String loadOrCreate(DataDir dir) {
        Optional<String> loose = looseMode(dir);
        if (loose.isPresent()) {
            Log.log.warn("{} had mode {} (other users could read it); replaced it with a new token, mode rw-------", dir.tokenFile(), loose.get());
        } else {
            Optional<String> existing = read(dir);
            if (existing.isPresent()) return existing.get();
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        try {
            AtomicFiles.write(dir.tokenFile(), (token + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY, true);
        } catch (IOException e) {
            throw new NodeError("cannot write the API token " + dir.tokenFile() + ": " + e.getMessage());
        }
        return token;
    }

    public static Optional<String> read(DataDir dir) {
        try {
            if (Files.size(dir.tokenFile()) > 1024) return Optional.empty();
            String t = Files.readString(dir.tokenFile(), StandardCharsets.US_ASCII).trim();
            return FORMAT.matcher(t).matches() ? Optional.of(t) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new NodeError("cannot read the API token " + dir.tokenFile() + ": " + e.getMessage());
        }
    }

    /** The token file's mode when group or others have any access to it, else empty. */
    static Optional<String> looseMode(DataDir dir) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.tokenFile());
            return PrivateDirs.othersCanAccess(perms) ? Optional.of(PosixFilePermissions.toString(perms)) : Optional.empty();
        } catch (NoSuchFileException | UnsupportedOperationException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new NodeError("cannot read the API token " + dir.tokenFile() + ": " + e.getMessage());
        }
    }

    /**
     * A client's challenge: 32 random bytes in hex, from the kernel's generator. Read directly:
     * a short command that asks the node one thing spends more on setting up the JDK's security
     * providers for a SecureRandom than on its whole request (SecureRandom where there is no
     * /dev/urandom).
     */
    public static String newNonce() {
        byte[] raw = new byte[32];
        try (java.io.InputStream in = Files.newInputStream(URANDOM)) {
            if (in.readNBytes(raw, 0, raw.length) != raw.length) throw new IOException("short read");
        } catch (IOException | RuntimeException e) {
            new SecureRandom().nextBytes(raw);
        }
        return HexFormat.of().formatHex(raw);
    }

    private static final Path URANDOM = Path.of("/dev/urandom");

    public static boolean isNonce(String s) {
        return s != null && FORMAT.matcher(s).matches();
    }

    /**
     * The node's answer to a client's challenge: HMAC-SHA256 keyed with the token over the API
     * port and the client's nonce, in hex. Only a holder of the token can compute it; a fresh
     * nonce per connection means an old answer proves nothing, and the port in it means the
     * answer of a node listening elsewhere, relayed, does not match either.
     */
    public static String proof(String token, int port, String nonce) {
        // BouncyCastle's HMAC rather than javax.crypto.Mac: the same function, without the JDK's
        // provider look-up, which costs a short command tens of milliseconds.
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(token.getBytes(StandardCharsets.US_ASCII)));
        byte[] message = ("ggen-api-proof-v1\n" + port + "\n" + nonce).getBytes(StandardCharsets.US_ASCII);
        mac.update(message, 0, message.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    /** Whether {@code answer} is the proof for this token, port and nonce (constant time). */
    public static boolean proofMatches(String token, int port, String nonce, String answer) {
        return answer != null && matches(proof(token, port, nonce), answer.trim());
    }

    /** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
    public static boolean matches(String expected, String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }
}
