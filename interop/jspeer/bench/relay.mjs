// (local addition) One node's validate-and-forward rate. A relay R, a publisher P and S
// subscribers, P and the subscribers connected to R only, everyone on one topic: every message P
// publishes reaches the subscribers through R, which verifies its signature (StrictSign),
// de-duplicates it and forwards it to its S other mesh peers. P keeps W publishes in flight.
// Reported: R's CPU time per message (from /proc, 10 ms ticks, its idle heartbeat share taken
// out) and what that makes per CPU second, the wall-clock rate at which the last subscriber
// received the messages (bounded by every process sharing the machine's cores), and delivery.
// usage: node bench/relay.mjs [messages=5000] [size=256] [subscribers=5] [inFlight=8]
// (js-libp2p's publisher drops RPCs when its stream's write buffer overflows, which 32 publishes in
// flight do on this 2-core VM; the relay's cost is counted per message it actually received.)
import { Peer, stopAll, sleep, r2, watchdog } from '../lib/harness.mjs'
import { readFileSync } from 'node:fs'

const M = Math.min(Number(process.argv[2] ?? 5000), 50_000)
const size = Number(process.argv[3] ?? 256)
const S = Math.max(1, Math.min(Number(process.argv[4] ?? 5), 11)) // R's mesh (S + 1) stays within D_hi
const W = Math.max(1, Math.min(Number(process.argv[5] ?? 8), 256))
const TOPIC = 'ggen-relay'
const nodes = []
watchdog(540, () => stopAll(nodes))

const args = ['--topic', TOPIC, '--no-dht', '--lifetime', '600']
const relay = await Peer.spawn(args, { name: 'relay' })
nodes.push(relay)
const pub = await Peer.spawn(args, { name: 'pub' })
nodes.push(pub)
const subs = []
for (let i = 0; i < S; i++) {
  const s = await Peer.spawn(args, { name: `s${i}` })
  nodes.push(s)
  subs.push(s)
}
await Promise.all([pub, ...subs].map(n => n.call({ cmd: 'dial', addr: relay.addrs[0] })))

// Every peer grafts R (R is its only peer), and R takes them all (S + 1 <= D_hi).
let meshed = false
for (let t = 0; t < 150 && !meshed; t++) {
  const m = await relay.call({ cmd: 'mesh', topic: TOPIC })
  meshed = m.peers.length === S + 1
  if (!meshed) await sleep(200)
}
if (!meshed) {
  console.error(`relay mesh did not reach ${S + 1} peers`)
  await stopAll(nodes)
  process.exit(1)
}

const ticks = (n) => { const f = readFileSync(`/proc/${n.child.pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]) }
const idle0 = ticks(relay), idleT0 = Date.now()
await sleep(3000)
const idleCpuMsPerSec = (ticks(relay) - idle0) * 10 / ((Date.now() - idleT0) / 1000)
await Promise.all(nodes.map(n => n.call({ cmd: 'resetStats' })))

const busy0 = ticks(relay), t0 = Date.now()
let next = 0
async function publisher () {
  while (next < M) {
    const k = next++
    await pub.call({ cmd: 'publish', topic: TOPIC, size, tag: k + 1 }, 30_000)
  }
}
await Promise.all(Array.from({ length: W }, publisher))
const publishedMs = Date.now() - t0

// Until every subscriber has all M, or nothing more has arrived for 2 s (lost messages), at most 60 s.
let delivered = []
let total = -1
let lastProgress = Date.now()
for (let t = 0; t < 600; t++) {
  delivered = (await Promise.all(subs.map(s => s.call({ cmd: 'stats' })))).map(s => s.pubsubDelivered[TOPIC] ?? 0)
  if (delivered.every(d => d >= M)) break
  const sum = delivered.reduce((a, b) => a + b, 0)
  if (sum > total) { total = sum; lastProgress = Date.now() } else if (Date.now() - lastProgress > 2000) break
  await sleep(100)
}
const wallMs = (delivered.every(d => d >= M) ? Date.now() : lastProgress) - t0
const busyCpuMs = (ticks(relay) - busy0) * 10, busyMs = Date.now() - t0
const relayStats = await relay.call({ cmd: 'stats' })
const relayReceived = relayStats.pubsubRecv[TOPIC] ?? 0
const relayCpuMsPerMessage = (busyCpuMs - idleCpuMsPerSec * busyMs / 1000) / Math.max(1, relayReceived)

const res = {
  bench: 'gossipsub-relay',
  messages: M,
  size,
  subscribers: S,
  inFlight: W,
  deliveryRate: r2(delivered.reduce((a, b) => a + b, 0) / (M * S)),
  relayReceived,
  relayDroppedRpcs: relayStats.pubsubDroppedRpcs ?? null, // Java peer only: RPCs its outbound queues dropped
  relayCpuMsPerMessage: Math.round(relayCpuMsPerMessage * 1000) / 1000,
  relayMessagesPerCpuSecond: Math.round(1000 / relayCpuMsPerMessage),
  relayIdleCpuMsPerSec: r2(idleCpuMsPerSec),
  publishMs: publishedMs,
  wallMessagesPerSecond: Math.round(M / (wallMs / 1000))
}
console.log(JSON.stringify(res))
await stopAll(nodes)
