// Reads the results of one bench/layer.sh run and prints js vs Java with ratios (Markdown).
// usage: node bench/compare.mjs bench/results/<run>
import { readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
const dir = process.argv[2]
const load = (impl, name) => {
  const f = path.join(dir, `${impl}-${name}.json`)
  if (!existsSync(f)) return null
  try { return JSON.parse(readFileSync(f, 'utf8')) } catch { return null }
}
const rows = []
const add = (what, js, java, better) => {
  const ratio = js != null && java != null && js !== 0 && java !== 0 ? (better === 'higher' ? java / js : js / java) : null
  rows.push(`| ${what} | ${js ?? 'n/a'} | ${java ?? 'n/a'} | ${ratio == null ? 'n/a' : ratio.toFixed(2) + 'x'} |`)
}
const tj = load('js', 'throughput'); const tv = load('java', 'throughput')
add(`one-stream throughput, ${tj?.mib ?? tv?.mib} MiB, dialer -> listener (sink), MB/s`, tj?.sinkMedianMBps, tv?.sinkMedianMBps, 'higher')
add(`one-stream throughput, listener -> dialer (source), MB/s`, tj?.sourceMedianMBps, tv?.sourceMedianMBps, 'higher')
const dj = load('js', 'dial'); const dv = load('java', 'dial')
add('dial + upgrade (TCP, Noise, Yamux), median ms', dj?.medianOfRunMediansConnectMs, dv?.medianOfRunMediansConnectMs, 'lower')
add('dial + upgrade + identify, median ms', dj?.medianOfRunMediansIdentifyMs, dv?.medianOfRunMediansIdentifyMs, 'lower')
const pj = load('js', 'ping'); const pv = load('java', 'ping')
add('ping RTT on an open connection (new stream each), median ms', pj?.medianOfMediansMs, pv?.medianOfMediansMs, 'lower')
const mj = load('js', 'memory'); const mv = load('java', 'memory')
add('RSS of an idle node, MiB', mj?.idleRssMiB, mv?.idleRssMiB, 'lower')
add(`RSS with ${mj?.connections ?? mv?.connections} connections, MiB`, mj?.loadedRssMiB, mv?.loadedRssMiB, 'lower')
console.log(`Run: ${dir}\n`)
console.log('| figure | js-libp2p | ggen (Java) | Java advantage |')
console.log('|---|---|---|---|')
for (const r of rows) console.log(r)
console.log('\n"Java advantage" is js/Java for times and sizes, Java/js for throughput: above 1x, Java is better.')
