// Cross-implementation key vectors for the Java tests (KeysInteropTest).
//
//   node keys-vectors.mjs generate          -> JSON array, one entry per key type js can make:
//       { type, privateKey, publicKey (protobuf hex), peerId (base58), peerIdCid (base32 CID),
//         message (hex), signature (hex) }
//   node keys-vectors.mjs verify < in.json  -> for each { type, publicKey, message, signature }
//       from Java: { type, peerId, peerIdCid, valid, validAsP1363 }; validAsP1363 is only set
//       for ECDSA: WebCrypto wants r||s where the spec (and Java) write DER, so the DER
//       signature is also converted and tried, to show the signature itself is sound.
//       A key js cannot read gives { type, parseError } instead.
import { generateKeyPair, privateKeyToProtobuf, publicKeyToProtobuf, publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'

const hex = (b) => Buffer.from(b).toString('hex')
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'))

async function generate () {
  const message = new TextEncoder().encode('ggen interop: signed by js-libp2p')
  const specs = [['Ed25519'], ['secp256k1'], ['RSA', 2048], ['ECDSA', 'P-256']]
  const out = []
  for (const [type, param] of specs) {
    let key
    try {
      key = await generateKeyPair(type, param)
    } catch (err) {
      continue // this @libp2p/crypto cannot make that type: the Java test notices the absence
    }
    const ids = peerIds(key.publicKey)
    out.push({
      type,
      privateKey: hex(privateKeyToProtobuf(key)),
      publicKey: hex(publicKeyToProtobuf(key.publicKey)),
      ...ids,
      message: hex(message),
      signature: hex(await key.sign(message))
    })
  }
  return out
}

// @libp2p/peer-id refuses ECDSA keys (and the key's own toMultihash() inlines the 91-byte key
// with identity where the spec says sha2-256): then peerId is null and the key's own view is given.
function peerIds (publicKey) {
  try {
    const peerId = peerIdFromPublicKey(publicKey)
    return { peerId: peerId.toString(), peerIdCid: peerId.toCID().toString() }
  } catch (err) {
    return { peerId: null, peerIdCid: null, keyToString: publicKey.toString() }
  }
}

// DER SEQUENCE { INTEGER r, INTEGER s } -> fixed-size r||s.
function derToP1363 (der, size) {
  let i = 2
  if (der[1] & 0x80) i += der[1] & 0x7f
  const ints = []
  for (let k = 0; k < 2; k++) {
    if (der[i] !== 0x02) throw new Error('not DER')
    const len = der[i + 1]
    let v = der.subarray(i + 2, i + 2 + len)
    while (v.length > size && v[0] === 0) v = v.subarray(1)
    const padded = new Uint8Array(size)
    padded.set(v, size - v.length)
    ints.push(padded)
    i += 2 + len
  }
  const out = new Uint8Array(2 * size)
  out.set(ints[0], 0)
  out.set(ints[1], size)
  return out
}

async function verify (entries) {
  const out = []
  for (const e of entries) {
    let key
    try {
      key = publicKeyFromProtobuf(unhex(e.publicKey))
    } catch (err) {
      // js reads ECDSA public keys only in its own non-PKIX layout, not the spec's PKIX.
      out.push({ type: e.type, parseError: String(err.message ?? err) })
      continue
    }
    const message = unhex(e.message)
    const signature = unhex(e.signature)
    let valid
    try {
      valid = await key.verify(message, signature)
    } catch (err) {
      valid = false
    }
    const result = { type: e.type, ...peerIds(key), valid }
    if (key.type === 'ECDSA') {
      try {
        result.validAsP1363 = await key.verify(message, derToP1363(signature, 32))
      } catch (err) {
        result.validAsP1363 = false
      }
    }
    out.push(result)
  }
  return out
}

async function readStdin () {
  const chunks = []
  for await (const c of process.stdin) chunks.push(c)
  return Buffer.concat(chunks).toString('utf8')
}

const mode = process.argv[2]
if (mode === 'generate') {
  process.stdout.write(JSON.stringify(await generate()) + '\n')
} else if (mode === 'verify') {
  process.stdout.write(JSON.stringify(await verify(JSON.parse(await readStdin()))) + '\n')
} else {
  process.stderr.write('usage: node keys-vectors.mjs generate | verify < entries.json\n')
  process.exit(2)
}
