// Identify messages encoded and decoded by js-libp2p's own protobuf codec, for the Java tests.
//   node identify-message.mjs encode        -> JSON line: a js peer's identify message in hex
//   node identify-message.mjs decode <hex>  -> JSON line: the fields js reads from a message
import { generateKeyPair, publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromPublicKey } from '@libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { multiaddr } from '@multiformats/multiaddr'
// The package exports only its entry point; its generated codec is loaded by path.
import { Identify } from '../node_modules/@libp2p/identify/dist/src/pb/message.js'

const hex = (bytes) => Buffer.from(bytes).toString('hex')
// Like js identify itself: addresses that do not parse are left out.
const parseOrNull = (bytes) => { try { return multiaddr(bytes).toString() } catch { return null } }

async function encode () {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const addrs = [multiaddr('/ip4/127.0.0.1/tcp/4001'), multiaddr('/ip4/127.0.0.1/udp/4001/quic-v1')]
  const record = new PeerRecord({ peerId, multiaddrs: addrs, seqNumber: 99n })
  const envelope = await RecordEnvelope.seal(record, key)
  const message = Identify.encode({
    protocolVersion: 'ipfs/0.1.0',
    agentVersion: 'js-libp2p/3.3.11',
    publicKey: publicKeyToProtobuf(key.publicKey),
    listenAddrs: [...addrs.map((a) => a.bytes), Uint8Array.from([0xff, 0xff, 0x03])],
    observedAddr: multiaddr('/ip4/10.0.0.1/tcp/55555').bytes,
    protocols: ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0', '/ggen/fetch/1.0.0'],
    signedPeerRecord: envelope.marshal()
  })
  return { message: hex(message), peerId: peerId.toString() }
}

async function decode (messageHex) {
  const msg = Identify.decode(Buffer.from(messageHex, 'hex'))
  const out = {
    protocolVersion: msg.protocolVersion,
    agentVersion: msg.agentVersion,
    peerId: msg.publicKey == null ? null : peerIdFromPublicKey(publicKeyFromProtobuf(msg.publicKey)).toString(),
    listenAddrs: msg.listenAddrs.map(parseOrNull).filter((a) => a != null),
    observedAddr: msg.observedAddr == null ? null : parseOrNull(msg.observedAddr),
    protocols: msg.protocols
  }
  if (msg.signedPeerRecord != null) {
    const envelope = await RecordEnvelope.openAndCertify(msg.signedPeerRecord, PeerRecord.DOMAIN)
    const record = PeerRecord.createFromProtobuf(envelope.payload)
    out.recordPeerId = record.peerId.toString()
    out.recordSeq = record.seqNumber.toString()
  }
  return out
}

try {
  const [command, arg] = process.argv.slice(2)
  let out
  if (command === 'encode') out = await encode()
  else if (command === 'decode') out = await decode(arg)
  else throw new Error('usage: identify-message.mjs encode | decode <hex>')
  process.stdout.write(JSON.stringify(out) + '\n')
} catch (err) {
  process.stderr.write(`identify-message: ${err.message}\n`)
  process.exit(1)
}
