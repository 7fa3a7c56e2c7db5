/**
 * Multiformats codecs: unsigned varint, multibase, multihash and CID (multiaddr is in
 * {@code io.ggen.p2p.multiaddr}), written from the
 * multiformats specs (github.com/multiformats: unsigned-varint, multibase with its test vectors,
 * multihash, cid, multiaddr with protocols.csv, and the multicodec table for codes and sizes).
 *
 * <p>Every codec is pure (no I/O: multiaddr never resolves names) and hostile-input safe: input
 * is bounded before any allocation ({@link io.ggen.p2p.multiformats.Multibase#MAX_ENCODED_LENGTH},
 * {@link io.ggen.p2p.multiformats.Multihash#MAX_DIGEST_LENGTH},
 * {@link io.ggen.p2p.multiformats.Cid#MAX_BYTES},
 * {@link io.ggen.p2p.multiaddr.Multiaddr#MAX_BYTES} and {@code MAX_COMPONENTS}), and every
 * defect is reported as {@link io.ggen.p2p.multiformats.MultiformatException} (an
 * {@code IllegalArgumentException}), never as another runtime exception.
 *
 * <p>Deliberate choices and deviations:
 * <ul>
 *   <li>Multibase: only base58btc, base32/base32upper, base36/base36upper, base16/base16upper,
 *       base64 and base64url. Decoding is canonical: no padding, no non-zero trailing bits; the
 *       case-insensitive bases accept mixed case, as the multibase test vectors require.</li>
 *   <li>Multihash: digests of known functions may be truncated (the spec allows it) but not
 *       longer than the function's output; every digest is at most 128 bytes.</li>
 *   <li>CID: versions 0 and 1 only; a multibase-encoded CIDv0 is refused, as the spec says.
 *       {@link io.ggen.p2p.multiformats.Cid#parseContentId} also takes the marketplace's
 *       {@code sha256:<hex>} shorthand for a CIDv1 raw sha2-256.</li>
 *   <li>Multiaddr: text accepts the old name {@code ipfs} and prints {@code p2p}; a {@code /p2p}
 *       value is read as base58 or as a CIDv1 libp2p-key and always printed base58; ip4 octets
 *       with leading zeros are refused (octal ambiguity); ip6 prints as RFC 5952; {@code unix}
 *       paths are percent-encoded with the character set of JavaScript's encodeURIComponent, as
 *       js-multiaddr does; {@code certhash} prints base64url. Name values (dns*, sni, ip6zone)
 *       must be UTF-8 without '/' or control characters. Unlisted protocols (onion, garlic,
 *       memory, http-path, ...) are refused as unknown.</li>
 * </ul>
 * This package depends on nothing else of ours: peer ids ({@code io.ggen.p2p.crypto}) build on
 * it, and multiaddresses, which carry peer ids, build on both.
 */
package io.ggen.p2p.multiformats;
