// Signed peer records (libp2p RFC 0003) made and checked by js-libp2p, for the Java interop tests.
//   node peer-record.mjs seal        -> prints one JSON line: a fresh Ed25519 peer's signed record
//   node peer-record.mjs open <hex>  -> opens an envelope, prints its peer id, seq and addresses
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromPublicKey } from '@libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { multiaddr } from '@multiformats/multiaddr'

const hex = (bytes) => Buffer.from(bytes).toString('hex')

async function seal () {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const addrs = ['/ip4/127.0.0.1/tcp/4001', '/ip6/::1/tcp/4002', '/dns4/example.com/tcp/443/wss']
  const record = new PeerRecord({ peerId, multiaddrs: addrs.map((a) => multiaddr(a)), seqNumber: 1234567890123n })
  const envelope = await RecordEnvelope.seal(record, key)
  return {
    envelope: hex(envelope.marshal()),
    peerId: peerId.toString(),
    seq: record.seqNumber.toString(),
    addrs: record.multiaddrs.map((m) => hex(m.bytes))
  }
}

async function open (envelopeHex) {
  const envelope = await RecordEnvelope.openAndCertify(Buffer.from(envelopeHex, 'hex'), PeerRecord.DOMAIN)
  if (hex(envelope.payloadType) !== hex(PeerRecord.CODEC)) throw new Error('not a peer record payload type')
  const record = PeerRecord.createFromProtobuf(envelope.payload)
  const signer = peerIdFromPublicKey(envelope.publicKey)
  if (!record.peerId.equals(signer)) throw new Error('record peer id does not match the signing key')
  return {
    peerId: record.peerId.toString(),
    seq: record.seqNumber.toString(),
    addrs: record.multiaddrs.map((m) => m.toString())
  }
}

try {
  const [command, arg] = process.argv.slice(2)
  let out
  if (command === 'seal') out = await seal()
  else if (command === 'open') out = await open(arg)
  else throw new Error('usage: peer-record.mjs seal | open <hex>')
  process.stdout.write(JSON.stringify(out) + '\n')
} catch (err) {
  process.stderr.write(`peer-record: ${err.message}\n`)
  process.exit(1)
}
