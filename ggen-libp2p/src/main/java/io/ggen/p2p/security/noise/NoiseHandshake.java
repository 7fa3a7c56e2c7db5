package io.ggen.p2p.security.noise;

import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The libp2p Noise handshake as a pure state machine: {@code Noise_XX_25519_ChaChaPoly_SHA256}
 * with an empty prologue, and the signed {@code NoiseHandshakePayload} in message 2 (responder)
 * and message 3 (initiator). It consumes and produces whole Noise messages (without the 2-byte
 * length prefix) and does no I/O, so it can be driven by a Netty handler, a test, or anything.
 *
 * <p>Initiator: {@link #start()} gives message 1; {@link #receive} of message 2 gives
 * {@link Done} with message 3 to send. Responder: {@link #receive} of message 1 gives
 * {@link Send} with message 2; {@link #receive} of message 3 gives {@link Done} with nothing to
 * send. Any failure throws {@link NoiseException} and leaves the handshake failed for good.
 */
public final class NoiseHandshake {
    /** Prefix of the data signed by the identity key: the spec's {@code noise-libp2p-static-key:}. */
    public static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    /** What the caller must do after a message was received. */
    public sealed interface Step permits Send, Done {}

    /** Send this handshake message; the handshake goes on. */
    public record Send(byte[] message) implements Step {}

    /** The handshake succeeded; send {@code finalMessage} first if present (initiator's message 3). */
    public record Done(Optional<byte[]> finalMessage, NoiseSession session) implements Step {}

    private final boolean initiator;
    private final Optional<PeerId> expectedRemote;
    private final HandshakeState state;
    private final byte[] localPayload;
    private boolean started;
    private boolean done;
    private boolean failed;

    /**
     * With a static key of its own (generated and signed for this handshake alone).
     *
     * @param identity our libp2p identity key, which signs our Noise static key
     * @param expectedRemote the peer we mean to reach (from the dialed {@code /p2p/} address):
     *     the handshake fails if the remote proves a different identity
     * @param streamMuxers muxer ids to advertise in the extensions (may be empty)
     */
    public NoiseHandshake(PrivateKey identity, boolean initiator, Optional<PeerId> expectedRemote, List<String> streamMuxers) {
        this(NoiseCredentials.generate(identity, streamMuxers), initiator, expectedRemote);
    }

    /**
     * With the host's static key and signed payload ({@link NoiseCredentials}, made once).
     *
     * @param expectedRemote the peer we mean to reach (from the dialed {@code /p2p/} address):
     *     the handshake fails if the remote proves a different identity
     */
    public NoiseHandshake(NoiseCredentials credentials, boolean initiator, Optional<PeerId> expectedRemote) {
        this(credentials, initiator, expectedRemote, null);
    }

    /** With fixed static and (optionally) ephemeral X25519 keys: for tests. */
    NoiseHandshake(PrivateKey identity, boolean initiator, Optional<PeerId> expectedRemote, List<String> streamMuxers, byte[] staticPrivate, byte[] ephemeralPrivate) {
        this(NoiseCredentials.of(identity, staticPrivate, streamMuxers), initiator, expectedRemote, ephemeralPrivate);
    }

    private NoiseHandshake(NoiseCredentials credentials, boolean initiator, Optional<PeerId> expectedRemote, byte[] ephemeralPrivate) {
        Objects.requireNonNull(credentials, "credentials");
        this.initiator = initiator;
        this.expectedRemote = Objects.requireNonNull(expectedRemote, "expectedRemote");
        this.state = new HandshakeState(initiator, EMPTY, credentials.staticPrivate(), credentials.staticPublic(), ephemeralPrivate);
        this.localPayload = credentials.payload();
    }

    public boolean isInitiator() {
        return initiator;
    }

    public boolean isDone() {
        return done;
    }

    public boolean isFailed() {
        return failed;
    }

    /** The initiator's first message ({@code -> e}, empty payload). */
    public byte[] start() throws NoiseException {
        if (!initiator) throw fail(new NoiseException("only the initiator starts the handshake"));
        if (started || failed) throw fail(new NoiseException("handshake already started"));
        started = true;
        try {
            // The spec forbids extensions in message 1 (it has no secrecy), so the payload is empty.
            return state.writeMessage(EMPTY);
        } catch (NoiseException e) {
            throw fail(e);
        }
    }

    /** Processes the next message from the remote peer. */
    public Step receive(byte[] message) throws NoiseException {
        if (failed) throw new NoiseException("handshake already failed");
        if (done) throw fail(new NoiseException("handshake already complete"));
        if (initiator && !started) throw fail(new NoiseException("initiator must start() before receiving"));
        started = true;
        try {
            byte[] payload = state.readMessage(message);
            if (initiator) {
                // Message 2: the responder's identity.
                Remote remote = verify(payload);
                byte[] msg3 = state.writeMessage(localPayload);
                return finish(Optional.of(msg3), remote);
            }
            if (!state.isComplete()) {
                // Message 1: its payload, if any, is unauthenticated and unencrypted; ignore it.
                return new Send(state.writeMessage(localPayload));
            }
            // Message 3: the initiator's identity.
            return finish(Optional.empty(), verify(payload));
        } catch (NoiseException e) {
            throw fail(e);
        } catch (RuntimeException e) {
            // Key decoders and verifiers of other key types are not ours; contain their failures.
            throw fail(new NoiseException("handshake failed: " + e, e));
        }
    }

    private Done finish(Optional<byte[]> finalMessage, Remote remote) throws NoiseException {
        CipherState[] ciphers = state.split();
        done = true;
        return new Done(finalMessage, new NoiseSession(remote.peer, remote.key, remote.streamMuxers, ciphers[0], ciphers[1]));
    }

    private record Remote(PeerId peer, PublicKey key, List<String> streamMuxers) {}

    private Remote verify(byte[] payloadBytes) throws NoiseException {
        NoisePayload payload = NoisePayloadCodec.decode(payloadBytes);
        PublicKey key;
        try {
            key = Keys.unmarshalPublic(payload.identityKey());
        } catch (RuntimeException e) {
            throw new NoiseException("remote identity key is invalid: " + e.getMessage(), e);
        }
        byte[] rs = state.remoteStaticPublicKey();
        if (!key.verify(concat(SIGNATURE_PREFIX, rs), payload.identitySig())) {
            throw new NoiseException("remote signature over its Noise static key is invalid");
        }
        PeerId peer = PeerId.fromPublicKey(key);
        if (expectedRemote.isPresent() && !expectedRemote.get().equals(peer)) {
            throw new NoiseException("remote peer is " + peer + ", expected " + expectedRemote.get());
        }
        return new Remote(peer, key, payload.streamMuxers());
    }

    private NoiseException fail(NoiseException e) {
        failed = true;
        return e;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
