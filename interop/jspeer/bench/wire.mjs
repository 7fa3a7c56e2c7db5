// The wire suite: js-libp2p and the peer named by JAVA_CMD (JSON array, e.g. the java-peer with
// the node's JVM options), side by side in one run, phase by phase (js first, then Java, on
// the same machine within seconds of each other):
//   tp1    one stream, dialer -> listener (sink) and back (source), MB/s and CPU-s per GiB
//   tpS    S streams at once on one connection
//   tpC    C connections at once (one dialer, C listeners), each listener warmed up as tp's is;
//          the warm-up's own figures (fresh processes) are reported apart as `cold`
//   dial   dial + upgrade, and dial + upgrade + identify, after warm-up in the same process;
//          CPU-ms per dial of both processes (/proc)
//   ping   /ipfs/ping/1.0.0 round trip on an open connection (a new stream each)
//   mem    RSS of an idle hub, then with K connections (the K clients are js peers for both
//          hubs: the hub is what is measured)
// CPU-seconds are read from /proc/<pid>/stat (utime + stime) of every peer process of the
// phase, so they hold both ends; per GiB of payload moved. Of that, a JVM's JIT compiler threads
// (/proc/<pid>/task/*) are reported apart as jitPerGiB: what compiling, not the transfer, cost.
//
// usage: JAVA_CMD='[...]' node bench/wire.mjs [out.json]
// env:   WIRE_MIB (256) WIRE_RUNS (5) WIRE_WARM_MIB (512) WIRE_STREAMS (4) WIRE_CONNS (4)
//        WIRE_DIAL ("50 5") WIRE_DIAL_WARM (1000 dials first) WIRE_PING ("100 3") WIRE_MEM_CONNS (100) WIRE_MEM_SETTLE (10)
//        WIRE_ONLY (comma list of phases) WIRE_IMPLS ("js,java"; "java-before" is a third
//        implementation, JAVA_BEFORE_CMD, e.g. an older jar with its options, run in between)
import { Peer, stopAll, median, r2, sleep, watchdog, cpuSeconds, jitSeconds, loadAverage } from '../lib/harness.mjs'
import { writeFileSync } from 'node:fs'

const env = (k, d) => process.env[k] ?? d
const MIB = Number(env('WIRE_MIB', 256))
const RUNS = Math.min(Number(env('WIRE_RUNS', 5)), 20)
const WARM_MIB = Number(env('WIRE_WARM_MIB', 512))
const STREAMS = Math.min(Number(env('WIRE_STREAMS', 4)), 64)
const CONNS = Math.min(Number(env('WIRE_CONNS', 4)), 16)
const [DIAL_N, DIAL_RUNS] = env('WIRE_DIAL', '50 5').split(' ').map(Number)
// 1000 warm-up dials: after 100, both js's and our per-run medians still fell run after run
// (js 25 -> 15 ms, Java 11 -> 7 ms over the 5 runs that followed, BENCHMARKS.md), so the
// figures were of warming up, not of a long-running process.
const DIAL_WARM = Math.min(Number(env('WIRE_DIAL_WARM', 1000)), 5000)
const [PING_N, PING_RUNS] = env('WIRE_PING', '100 3').split(' ').map(Number)
const MEM_CONNS = Math.min(Number(env('WIRE_MEM_CONNS', 100)), 200)
const MEM_SETTLE = Math.min(Number(env('WIRE_MEM_SETTLE', 10)), 60)
const ONLY = env('WIRE_ONLY', 'tp1,tpS,tpC,dial,ping,mem').split(',')
const IMPLS = env('WIRE_IMPLS', 'js,java').split(',')
const outFile = process.argv[2]
if (IMPLS.includes('java') && !process.env.JAVA_CMD) { console.error('wire.mjs: set JAVA_CMD to the java peer command (JSON array)'); process.exit(2) }
const cmdOf = (impl) => impl === 'java' ? JSON.parse(process.env.JAVA_CMD)
  : impl === 'java-before' ? JSON.parse(process.env.JAVA_BEFORE_CMD) : undefined
const BARE = ['--no-dht', '--no-pubsub']

const live = []
watchdog(Number(env('WIRE_TIMEOUT_S', 1500)), () => stopAll(live))

const cpuOf = (peers) => peers.reduce((a, p) => a + cpuSeconds(p.pid), 0)
const load = loadAverage
const log = (...a) => console.error(`# ${new Date().toISOString()} load ${load()} |`, ...a)

async function spawn (impl, name, args = []) {
  const p = await Peer.spawn(['--seed', `wire-${name}`, ...BARE, ...args], { cmd: cmdOf(impl), name: `${impl}-${name}`, readyTimeoutMs: 60_000 })
  live.push(p)
  return p
}
async function stop (peers) {
  await stopAll(peers)
  for (const p of peers) live.splice(live.indexOf(p), 1)
}

// One measured transfer: `jobs` run at once; returns MB/s over the wall time and CPU-s/GiB.
// A transfer that fails (js peers under heavy load sometimes abort one) is tried once more.
async function measure (peers, jobs) {
  try {
    return await measureOnce(peers, jobs)
  } catch (e) {
    log(`transfer failed (${e.message}); once more`)
    return await measureOnce(peers, jobs)
  }
}
async function measureOnce (peers, jobs) {
  const c0 = peers.map(p => cpuSeconds(p.pid)); const j0 = peers.map(p => jitSeconds(p.pid)); const t0 = performance.now()
  const moved = (await Promise.all(jobs.map(j => j()))).reduce((a, b) => a + b, 0)
  const secs = (performance.now() - t0) / 1000
  const cpu = peers.map((p, i) => cpuSeconds(p.pid) - c0[i]); const gib = moved / 2 ** 30
  // jitPerGiB: of cpuPerGiB, the JIT compiler threads' share (Java peers; null for js)
  const jit = peers.map((p, i) => { const j = jitSeconds(p.pid); return j == null || j0[i] == null ? null : Math.max(0, j - j0[i]) })
  const jitPerGiB = jit.every(j => j == null) ? null : jit.reduce((a, b) => a + (b ?? 0), 0) / gib
  // perPeer: each process's CPU-s per GiB of the whole transfer, in the order of `peers`
  return { MBps: moved / 1e6 / secs, cpuPerGiB: cpu.reduce((a, b) => a + b, 0) / gib, jitPerGiB, perPeer: cpu.map(c => c / gib) }
}
const sink = (from, to, bytes) => async () => {
  const r = await from.call({ cmd: 'sinkTo', peer: to.peerId, bytes, timeoutMs: 300_000 }, 310_000)
  if (r.acked !== bytes) throw new Error(`sink acked ${r.acked} of ${bytes}`)
  return bytes
}
const source = (from, to, bytes) => async () => {
  const r = await from.call({ cmd: 'sourceFrom', peer: to.peerId, bytes, timeoutMs: 300_000 }, 310_000)
  if (r.received !== bytes) throw new Error(`source received ${r.received} of ${bytes}`)
  return bytes
}
const summary = (runs) => ({
  MBps: r2(median(runs.map(r => r.MBps))),
  cpuPerGiB: r2(median(runs.map(r => r.cpuPerGiB))),
  ...(runs.some(r => r.jitPerGiB == null) ? {} : { jitPerGiB: r2(median(runs.map(r => r.jitPerGiB))) }),
  runs: runs.map(r => [r2(r.MBps), r2(r.cpuPerGiB)])
})

const bytes = MIB * 1048576
const phases = {
  // one stream, both directions; the same two peers go on to the multi-stream phase
  async tp (impl) {
    const a = await spawn(impl, 'a'); const b = await spawn(impl, 'b')
    const res = {}
    try {
      await a.call({ cmd: 'dial', addr: b.addrs[0] })
      // warm-up: the JIT and the windows, as a long-running node would be
      await measure([a, b], [sink(a, b, WARM_MIB * 1048576)])
      await measure([a, b], [source(a, b, WARM_MIB * 1048576)])
      if (ONLY.includes('tp1')) {
        const up = []; const down = []
        for (let i = 0; i < RUNS; i++) {
          up.push(await measure([a, b], [sink(a, b, bytes)]))
          down.push(await measure([a, b], [source(a, b, bytes)]))
          const jit = up.at(-1).jitPerGiB == null ? '' : ` (JIT compiler ${r2(up.at(-1).jitPerGiB)})`
          log(`${impl} tp1 run ${i + 1}: sink ${r2(up.at(-1).MBps)} MB/s ${r2(up.at(-1).cpuPerGiB)} CPU-s/GiB${jit}, source ${r2(down.at(-1).MBps)} MB/s`)
        }
        res.tp1Sink = summary(up); res.tp1Source = summary(down)
      }
      if (ONLY.includes('tpS')) try {
        const runs = []
        const per = Math.floor(bytes / STREAMS)
        for (let i = 0; i < RUNS; i++) {
          runs.push(await measure([a, b], Array.from({ length: STREAMS }, () => sink(a, b, per))))
          log(`${impl} tpS run ${i + 1}: ${STREAMS} streams ${r2(runs.at(-1).MBps)} MB/s ${r2(runs.at(-1).cpuPerGiB)} CPU-s/GiB`)
        }
        res.tpStreams = { streams: STREAMS, ...summary(runs) }
      } catch (e) { res.tpStreams = { streams: STREAMS, error: failure(e, [a, b]) } }
    } finally { await stop([a, b]) }
    return res
  },
  async tpC (impl) {
    const a = await spawn(impl, 'ca'); const bs = []
    try {
      for (let i = 0; i < CONNS; i++) bs.push(await spawn(impl, `cb${i}`))
      for (const b of bs) await a.call({ cmd: 'dial', addr: b.addrs[0] })
      const all = [a, ...bs]; const per = Math.floor(bytes / CONNS)
      // Warm-up: 2 x WARM_MIB through every listener, as tp moves WARM_MIB each way through its
      // one listener. Each listener is a process of its own with its own JIT, which compiles the
      // receive path (cipher included) only after some thousands of messages: with WARM_MIB /
      // CONNS each, Java's listeners were still compiling during the measured runs (BENCHMARKS.md,
      // "Several connections at once"). In four rounds, each tried twice like any transfer (js
      // peers under load sometimes stall one). What the fresh processes did is reported apart,
      // as `cold`.
      const warmPer = 2 * WARM_MIB
      const rounds = []
      for (let k = 0; k < 4; k++) rounds.push(await measure(all, bs.map(b => sink(a, b, Math.floor(warmPer * 1048576 / 4)))))
      const cold = { MBps: 4 / rounds.reduce((x, r) => x + 1 / r.MBps, 0), cpuPerGiB: rounds.reduce((x, r) => x + r.cpuPerGiB, 0) / 4 }
      if (rounds.every(r => r.jitPerGiB != null)) cold.jitPerGiB = rounds.reduce((x, r) => x + r.jitPerGiB, 0) / 4
      log(`${impl} tpC cold (fresh processes, ${warmPer} MiB per connection, 4 rounds): ${r2(cold.MBps)} MB/s ${r2(cold.cpuPerGiB)} CPU-s/GiB (rounds: ${rounds.map(r => r2(r.cpuPerGiB)).join(' ')})`)
      const runs = []
      for (let i = 0; i < RUNS; i++) {
        runs.push(await measure(all, bs.map(b => sink(a, b, per))))
        const r = runs.at(-1)
        log(`${impl} tpC run ${i + 1}: ${CONNS} connections ${r2(r.MBps)} MB/s ${r2(r.cpuPerGiB)} CPU-s/GiB (dialer ${r2(r.perPeer[0])}, listeners ${r.perPeer.slice(1).map(r2).join(' ')})`)
      }
      const split = { dialerCpuPerGiB: r2(median(runs.map(r => r.perPeer[0]))), listenersCpuPerGiB: r2(median(runs.map(r => r.perPeer.slice(1).reduce((x, y) => x + y, 0)))) }
      return { tpConns: { connections: CONNS, ...summary(runs), ...split, cold: { MiBPerConnection: warmPer, MBps: r2(cold.MBps), cpuPerGiB: r2(cold.cpuPerGiB), ...(cold.jitPerGiB == null ? {} : { jitPerGiB: r2(cold.jitPerGiB) }) } } }
    } finally { await stop([a, ...bs]) }
  },
  async dial (impl) {
    const a = await spawn(impl, 'da'); const b = await spawn(impl, 'db')
    try {
      // warm-up, in batches: dialBench makes at most 1000 dials per call
      for (let left = DIAL_WARM; left > 0; left -= 1000) await a.call({ cmd: 'dialBench', addr: b.addrs[0], n: Math.min(left, 1000), timeoutMs: 600_000 }, 610_000)
      const runs = []
      for (let i = 0; i < DIAL_RUNS; i++) {
        // CPU of both processes per dial (dial, upgrade, identify and hang-up, both ends)
        const c0 = cpuOf([a, b])
        const r = await a.call({ cmd: 'dialBench', addr: b.addrs[0], n: DIAL_N, pauseMs: 20, timeoutMs: 120_000 }, 130_000)
        runs.push({ ...r, cpuMsPerDial: (cpuOf([a, b]) - c0) * 1000 / r.n })
      }
      log(`${impl} dial: connect ${runs.map(r => r.connectMedianMs)} identify ${runs.map(r => r.identifyMedianMs)} CPU-ms/dial ${runs.map(r => r2(r.cpuMsPerDial))}`)
      return { dial: { connectMs: r2(median(runs.map(r => r.connectMedianMs))), identifyMs: r2(median(runs.map(r => r.identifyMedianMs))), cpuMsPerDial: r2(median(runs.map(r => r.cpuMsPerDial))), runs: runs.map(r => [r.connectMedianMs, r.identifyMedianMs, r2(r.cpuMsPerDial)]) } }
    } finally { await stop([a, b]) }
  },
  async ping (impl) {
    const a = await spawn(impl, 'pa'); const b = await spawn(impl, 'pb')
    try {
      await a.call({ cmd: 'dial', addr: b.addrs[0] })
      await a.call({ cmd: 'ping', peer: b.peerId, count: 200 }) // warm-up
      const meds = []
      for (let i = 0; i < PING_RUNS; i++) meds.push((await a.call({ cmd: 'ping', peer: b.peerId, count: PING_N }, 120_000)).medianMs)
      log(`${impl} ping medians ${meds.map(r2)}`)
      return { ping: { ms: r2(median(meds)), runs: meds.map(r2) } }
    } finally { await stop([a, b]) }
  }
}

// Memory: the clients are started once (js peers) and dial each hub in turn.
async function memory (clients, impl) {
  const hub = await spawn(impl, 'hub', ['--lifetime', '1200'])
  try {
    await sleep(MEM_SETTLE * 1000)
    const idle = await hub.call({ cmd: 'stats' })
    // Ten dials at a time; on a loaded machine a handshake can time out, so a failed dial is
    // tried once more, and the hub's own count of connections is what is reported.
    let failed = 0
    for (let i = 0; i < clients.length; i += 10) {
      const batch = clients.slice(i, i + 10)
      const res = await Promise.allSettled(batch.map(c => c.call({ cmd: 'dial', addr: hub.addrs[0] }, 60_000)))
      for (let k = 0; k < batch.length; k++) {
        if (res[k].status === 'rejected') await batch[k].call({ cmd: 'dial', addr: hub.addrs[0] }, 60_000).catch(() => { failed++ })
      }
    }
    if (failed > 0) log(`${impl} mem: ${failed} of ${clients.length} clients could not connect`)
    await sleep(MEM_SETTLE * 1000)
    const loaded = await hub.call({ cmd: 'stats' })
    log(`${impl} mem: idle ${idle.rssMiB} MiB, ${loaded.connections} connections ${loaded.rssMiB} MiB`)
    for (const c of clients) await c.send({ cmd: 'hangup', peer: hub.peerId }).catch(() => {})
    return { mem: { idleMiB: r2(idle.rssMiB), connections: loaded.connections, loadedMiB: r2(loaded.rssMiB), perConnKiB: r2((loaded.rssMiB - idle.rssMiB) * 1024 / Math.max(1, loaded.connections)) } }
  } finally { await stop([hub]) }
}

const results = { started: new Date().toISOString(), loadStart: load(), config: { MIB, RUNS, WARM_MIB, STREAMS, CONNS, DIAL_N, DIAL_RUNS, DIAL_WARM, PING_N, PING_RUNS, MEM_CONNS, MEM_SETTLE }, javaCmd: process.env.JAVA_CMD ?? null, javaBeforeCmd: process.env.JAVA_BEFORE_CMD ?? null }
for (const impl of IMPLS) results[impl] = {}
// A phase that fails is recorded as failed (with the peers' last words) and the suite goes on.
function failure (e, peers = []) {
  const msg = `${e.message}${peers.map(p => p.stderr ? ` [${p.name} stderr: ${p.stderr.slice(-400)}]` : '').join('')}`
  log(`failed: ${msg}`)
  return msg
}
const run = async (name, fn) => {
  for (const impl of IMPLS) {
    log(`${impl}: ${name}`)
    try {
      Object.assign(results[impl], await fn(impl), { [`load_${name}`]: load() })
    } catch (e) {
      results[impl][`error_${name}`] = failure(e)
    }
  }
}
try {
  if (ONLY.includes('tp1') || ONLY.includes('tpS')) await run('tp', phases.tp)
  if (ONLY.includes('tpC')) await run('tpC', phases.tpC)
  if (ONLY.includes('dial')) await run('dial', phases.dial)
  if (ONLY.includes('ping')) await run('ping', phases.ping)
  if (ONLY.includes('mem')) {
    const clients = []
    try {
      for (let i = 0; i < MEM_CONNS; i++) {
        const c = await Peer.spawn(['--seed', `wire-mc${i}`, ...BARE, '--lifetime', '1200'], { name: `client${i}` })
        clients.push(c); live.push(c)
      }
      await run('mem', (impl) => memory(clients, impl))
    } finally { await stop(clients) }
  }
} finally {
  await stopAll(live)
}
results.finished = new Date().toISOString(); results.loadEnd = load()
const json = JSON.stringify(results)
if (outFile) writeFileSync(outFile, JSON.stringify(results, null, 1))
console.log(json)
