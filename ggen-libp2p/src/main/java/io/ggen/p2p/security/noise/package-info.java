/**
 * libp2p Noise: the security handshake and encrypted transport of the libp2p
 * <a href="https://github.com/libp2p/specs/blob/master/noise/README.md">noise spec</a>
 * (multistream-select id {@code /noise}), built on the
 * <a href="https://noiseprotocol.org/noise.html">Noise Protocol Framework, revision 34</a>.
 *
 * <h2>What is implemented</h2>
 * <ul>
 *   <li>{@code Noise_XX_25519_ChaChaPoly_SHA256} with an empty prologue, the only protocol the
 *       libp2p spec defines: {@link io.ggen.p2p.security.noise.CipherState},
 *       {@link io.ggen.p2p.security.noise.SymmetricState} and
 *       {@link io.ggen.p2p.security.noise.HandshakeState}, pure and checked against the cacophony
 *       test vector. X25519 is BouncyCastle's {@code rfc7748.X25519}; SHA-256 and HMAC-SHA256
 *       are the JDK's. ChaCha20-Poly1305 ({@link io.ggen.p2p.security.noise.ChaChaPoly}) is the
 *       system's OpenSSL through the foreign-function API when the JVM is 22+ and allows native
 *       access, else the JDK's; {@link io.ggen.p2p.security.noise.ChaChaPolyEngine} chooses once
 *       per process and says why.</li>
 *   <li>The signed handshake payload ({@code NoiseHandshakePayload} in {@code noise.proto}):
 *       {@link io.ggen.p2p.security.noise.NoisePayloadCodec} with a limit on every field, unknown
 *       fields and extensions skipped. The payload travels in message 2 (responder) and 3
 *       (initiator); the signature is over {@code "noise-libp2p-static-key:" || static key}.</li>
 *   <li>{@link io.ggen.p2p.security.noise.NoiseHandshake}: the libp2p handshake as a state
 *       machine without I/O, ending in a {@link io.ggen.p2p.security.noise.NoiseSession}; an
 *       expected remote peer id (from the dialed {@code /p2p/} address) is enforced.</li>
 *   <li>Netty: {@link io.ggen.p2p.security.noise.NoiseHandshakeHandler} (framing, timeout,
 *       {@code Completed}/{@code Failed} events, replacing itself) and
 *       {@link io.ggen.p2p.security.noise.NoiseTransportHandler} (2-byte length framing of
 *       transport messages, at most 65535 bytes each, writes coalesced per flush).</li>
 * </ul>
 *
 * <h2>Deliberate choices and deviations</h2>
 * <ul>
 *   <li>The host's Noise static key is generated when the host starts and used for all its
 *       connections, never persisted ({@link io.ggen.p2p.security.noise.NoiseCredentials}, as
 *       js-libp2p does): its signed payload is then made once, so a handshake costs one key
 *       generation (the ephemeral) and no signature. A static key per connection bought no
 *       privacy, since the identity key travels in the same encrypted payload. A
 *       {@link io.ggen.p2p.security.noise.NoiseHandshake} built from an identity key alone
 *       still generates a static key of its own.</li>
 *   <li>An all-zero X25519 result (a low-order remote key) fails the handshake; the Noise spec
 *       allows either behaviour.</li>
 *   <li>The payload of message 1 is ignored whatever it holds: it is neither encrypted nor
 *       authenticated, and the spec forbids extensions there.</li>
 *   <li>Identity key and signature are required to be present; protobuf-wise they are optional.
 *       Webtransport certhashes are decoded (bounded) but not exposed on the session: we have
 *       no WebTransport.</li>
 *   <li>Stream muxers are advertised only when configured ({@link
 *       io.ggen.p2p.security.noise.NoiseConfig#streamMuxers()}, empty by default), because
 *       js-libp2p skips multistream-select muxer negotiation when both sides list a common muxer;
 *       the host lists {@code /yamux/1.0.0} and does the same (its {@code UpgradeHandler}).</li>
 *   <li>Writes made while the handshake runs are held and sent encrypted once it succeeds (never
 *       in clear); they fail if it fails.</li>
 *   <li>Noise Pipes ({@code IK}/{@code XXfallback}), removed from the spec, are not implemented;
 *       nor is rekeying, which libp2p does not use.</li>
 * </ul>
 */
package io.ggen.p2p.security.noise;
