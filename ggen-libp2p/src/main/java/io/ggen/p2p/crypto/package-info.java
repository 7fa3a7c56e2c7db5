/**
 * Keys, signatures and peer ids of the libp2p peer-ids spec (libp2p/specs peer-ids/peer-ids.md):
 * the deterministic protobuf {@code PublicKey}/{@code PrivateKey} encodings, the four key types,
 * and peer ids (identity multihash of the encoded public key when it is at most 42 bytes, sha2-256
 * otherwise), printed base58btc and accepted as CIDv1 libp2p-key in any supported multibase.
 *
 * <ul>
 *   <li>Ed25519 (the fast path, BouncyCastle's RFC 8032 code): 32-byte public key; private key
 *       seed||public (64 bytes), the legacy 96-byte form and a bare 32-byte seed accepted.</li>
 *   <li>secp256k1: 33-byte compressed public key (65-byte uncompressed accepted and re-encoded
 *       compressed, as go and js do); 32-byte private scalar; DER ECDSA over SHA-256, RFC 6979
 *       nonces. We sign low-S. We verify high-S too, as go-libp2p does; js (noble) refuses it.</li>
 *   <li>ECDSA (P-256 generated; P-384 and P-521 read): public key DER SubjectPublicKeyInfo,
 *       private key DER SEC1 ECPrivateKey (the spec's prose says "PKIX" but its test vector, go
 *       and js use SEC1); DER ECDSA over SHA-256.</li>
 *   <li>RSA: public key DER SubjectPublicKeyInfo, private key DER PKCS#1; RSASSA-PKCS1-v1_5 with
 *       SHA-256; moduli outside 2048..8192 bits are refused.</li>
 * </ul>
 *
 * <p>Deliberate leniencies, for js-libp2p (checked by KeysInteropTest against @libp2p/crypto 5):
 * js signs ECDSA with WebCrypto, which yields raw r||s instead of DER, so ECDSA verification also
 * accepts the fixed-size r||s form; js writes ECDSA public keys as
 * {@code SEQUENCE { 1, [0] curve, [1] point }} instead of PKIX, which we read too (we always write
 * PKIX, which js cannot read, and js derives ECDSA peer ids with the identity multihash where the
 * spec says sha2-256: ECDSA peers do not interoperate with js-libp2p, whatever we do).
 *
 * <p>Parsed public keys keep the bytes the peer sent, since its peer id hashes them. Decoders
 * throw only {@link io.ggen.p2p.crypto.InvalidKeyException} (an {@code IllegalArgumentException});
 * {@link io.ggen.p2p.crypto.PublicKey#verify} never throws. No I/O happens here.
 */
package io.ggen.p2p.crypto;
