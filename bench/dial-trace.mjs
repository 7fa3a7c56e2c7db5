// Drives the dials that bench/dial-breakdown.sh records: a Java dialer and a Java listener
// (JAVA_CMD, each with its own JFR recording), WARM dials of warm-up, then RUNS x N measured
// dials (20 ms apart, as in bench/wire.sh), then stops both so that their recordings are written.
// Prints the peers' own medians, the CPU-ms per dial of both processes (/proc) and the load.
// usage: JAVA_DIALER_CMD='[...]' JAVA_LISTENER_CMD='[...]' node bench/dial-trace.mjs WARM N RUNS
import { Peer, stopAll, median, cpuSeconds, loadAverage } from '../interop/jspeer/lib/harness.mjs'

const [warm, n, runs] = process.argv.slice(2).map(Number)
const cpuMs = (pid) => cpuSeconds(pid) * 1000
const load = loadAverage
const bare = ['--no-dht', '--no-pubsub']
const b = await Peer.spawn(['--seed', 'trace-listener', ...bare], { cmd: JSON.parse(process.env.JAVA_LISTENER_CMD), name: 'listener', readyTimeoutMs: 60_000 })
const a = await Peer.spawn(['--seed', 'trace-dialer', ...bare], { cmd: JSON.parse(process.env.JAVA_DIALER_CMD), name: 'dialer', readyTimeoutMs: 60_000 })
try {
  await a.call({ cmd: 'dialBench', addr: b.addrs[0], n: warm, timeoutMs: 300_000 }, 310_000)
  const res = []
  for (let i = 0; i < runs; i++) {
    const c0 = cpuMs(a.pid) + cpuMs(b.pid)
    const r = await a.call({ cmd: 'dialBench', addr: b.addrs[0], n, pauseMs: 20, timeoutMs: 120_000 }, 130_000)
    const cpu = (cpuMs(a.pid) + cpuMs(b.pid) - c0) / r.n
    res.push([r.connectMedianMs, r.identifyMedianMs, cpu])
    console.log(`run ${i + 1}: dial+upgrade ${r.connectMedianMs} ms, +identify ${r.identifyMedianMs} ms, CPU ${cpu.toFixed(2)} ms per dial (both processes), load ${load()}`)
  }
  console.log(`medians: dial+upgrade ${median(res.map(r => r[0]))} ms, +identify ${median(res.map(r => r[1]))} ms, CPU ${median(res.map(r => r[2])).toFixed(2)} ms per dial`)
} finally {
  await stopAll([a, b])
}
