// Dial + upgrade + identify of several builds of the Java peer (and js-libp2p's reference peer,
// a build whose command is null), interleaved in one run: each
// build gets its own dialer and listener, all warmed up first, then ROUNDS rounds in which every
// build measures N dials (20 ms apart, as bench/wire.sh does), the builds' order alternating
// from round to round, so that a change of the machine's load falls on all builds alike.
// Prints, per build, the median over rounds of the per-round medians, the CPU-ms per dial of
// both processes (/proc: utime + stime), and the load average of each round.
//
// usage: DIAL_AB_CMDS='{"before":[...],"after":[...]}' node bench/dial-ab.mjs WARM N ROUNDS
//   (bench/dial-ab.sh builds the commands from jars and scripts/node.options; "js": null)
import { Peer, stopAll, median, cpuSeconds, loadAverage } from '../interop/jspeer/lib/harness.mjs'

const [warm, n, rounds] = process.argv.slice(2).map(Number)
if (!(warm >= 0 && n > 0 && rounds > 0) || !process.env.DIAL_AB_CMDS) {
  console.error('usage: DIAL_AB_CMDS=\'{"name":[cmd...],...}\' node bench/dial-ab.mjs WARM N ROUNDS')
  process.exit(2)
}
const cmds = JSON.parse(process.env.DIAL_AB_CMDS)
const cpuMs = (pid) => cpuSeconds(pid) * 1000
const load = loadAverage
const bare = ['--no-dht', '--no-pubsub']
const builds = []
try {
  for (const [name, cmd] of Object.entries(cmds)) {
    const listener = await Peer.spawn(['--seed', `ab-${name}-l`, ...bare], { cmd: cmd ?? undefined, name: `${name}-listener`, readyTimeoutMs: 60_000 })
    const dialer = await Peer.spawn(['--seed', `ab-${name}-d`, ...bare], { cmd: cmd ?? undefined, name: `${name}-dialer`, readyTimeoutMs: 60_000 })
    builds.push({ name, listener, dialer, runs: [] })
  }
  for (const b of builds) {
    // dialBench makes at most 1000 dials per call
    for (let left = warm; left > 0; left -= 1000) await b.dialer.call({ cmd: 'dialBench', addr: b.listener.addrs[0], n: Math.min(left, 1000), timeoutMs: 600_000 }, 610_000)
  }
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? builds : [...builds].reverse()
    for (const b of order) {
      const c0 = cpuMs(b.dialer.pid) + cpuMs(b.listener.pid)
      const r = await b.dialer.call({ cmd: 'dialBench', addr: b.listener.addrs[0], n, pauseMs: 20, timeoutMs: 120_000 }, 130_000)
      const cpu = (cpuMs(b.dialer.pid) + cpuMs(b.listener.pid) - c0) / r.n
      b.runs.push([r.connectMedianMs, r.identifyMedianMs, cpu])
      console.log(`round ${i + 1} ${b.name}: dial+upgrade ${r.connectMedianMs} ms, +identify ${r.identifyMedianMs} ms, CPU ${cpu.toFixed(2)} ms per dial (both processes), load ${load()}`)
    }
  }
  console.log(`medians of ${rounds} rounds of ${n} dials after ${warm} warm-up dials:`)
  for (const b of builds) {
    console.log(`  ${b.name.padEnd(12)} dial+upgrade ${median(b.runs.map(r => r[0])).toFixed(3)} ms, +identify ${median(b.runs.map(r => r[1])).toFixed(3)} ms, CPU ${median(b.runs.map(r => r[2])).toFixed(2)} ms per dial`)
  }
} finally {
  await stopAll(builds.flatMap(b => [b.dialer, b.listener]))
}
