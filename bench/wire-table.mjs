// Prints one bench/wire.sh run (the JSON of interop/jspeer/bench/wire.mjs) as a Markdown table
// with ratios: "Java advantage" is Java/js for throughput and js/Java for times, CPU and sizes,
// so above 1x Java is better; the goal column is issue 18's.
// usage: node bench/wire-table.mjs <wire.json>
import { readFileSync } from 'node:fs'
const r = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const js = r.js ?? {}; const jv = r.java ?? {}
// With a "java-before" run (an older build, WIRE_IMPLS=...,java-before,java), its figure goes in
// a column of its own, with the ratio of the new Java to it.
const before = r['java-before']
const rows = []
let cur = null
const ratioOf = (a, b, better) => (a != null && b != null && a !== 0 && b !== 0 ? (better === 'higher' ? b / a : a / b).toFixed(2) + 'x' : 'n/a')
const add = (what, a, b, better, goal = '') => {
  const extra = before ? ` ${cur?.before ?? 'n/a'} | ${ratioOf(cur?.before, b, better)} |` : ''
  rows.push(`| ${what} | ${a ?? 'n/a'} | ${b ?? 'n/a'} | ${ratioOf(a, b, better)} | ${goal} |${extra}`)
}
const pick = (f) => { cur = { before: before ? f(before) : null } }
const tp = (key, label) => {
  if (!js[key] && !jv[key]) return
  pick(o => o[key]?.MBps)
  add(`${label}, MB/s (median)`, js[key]?.MBps, jv[key]?.MBps, 'higher', key.startsWith('tp1') ? '>= 4x' : '')
  pick(o => o[key]?.cpuPerGiB)
  add(`${label}, CPU-s per GiB, all peer processes`, js[key]?.cpuPerGiB, jv[key]?.cpuPerGiB, 'lower', '>= 4x')
}
const c = r.config
tp('tp1Sink', `one stream, dialer -> listener, ${c.MIB} MiB`)
tp('tp1Source', 'one stream, listener -> dialer')
tp('tpStreams', `${c.STREAMS} streams at once on one connection`)
tp('tpConns', `${c.CONNS} connections at once (1 dialer, ${c.CONNS} listeners)`)
if (js.dial || jv.dial) {
  pick(o => o.dial?.connectMs)
  add('dial + upgrade (TCP, multistream, Noise, Yamux), median ms', js.dial?.connectMs, jv.dial?.connectMs, 'lower')
  pick(o => o.dial?.identifyMs)
  add('dial + upgrade + identify, median ms', js.dial?.identifyMs, jv.dial?.identifyMs, 'lower', '>= 3x')
  if (js.dial?.cpuMsPerDial != null || jv.dial?.cpuMsPerDial != null) {
    pick(o => o.dial?.cpuMsPerDial)
    add('dial + upgrade + identify + hang-up, CPU-ms per dial, both processes', js.dial?.cpuMsPerDial, jv.dial?.cpuMsPerDial, 'lower')
  }
}
pick(o => o.ping?.ms)
if (js.ping || jv.ping) add('ping on an open connection, median ms', js.ping?.ms, jv.ping?.ms, 'lower', '>= 1x')
if (js.mem || jv.mem) {
  pick(o => o.mem?.idleMiB)
  add('RSS of an idle node, MiB', js.mem?.idleMiB, jv.mem?.idleMiB, 'lower')
  pick(o => o.mem?.loadedMiB)
  add(`RSS with ${jv.mem?.connections ?? js.mem?.connections} connections, MiB (js: ${js.mem?.connections ?? 'n/a'})`, js.mem?.loadedMiB, jv.mem?.loadedMiB, 'lower', '>= 1x')
  pick(o => o.mem?.perConnKiB)
  add('RSS per connection, KiB', js.mem?.perConnKiB, jv.mem?.perConnKiB, 'lower')
}
console.log(`Run ${r.started} .. ${r.finished}; load average (1, 5, 15 min) ${r.loadStart} at start, ${r.loadEnd} at end`)
console.log(`Java: ${r.javaCmd ? JSON.parse(r.javaCmd).join(' ') : 'n/a'}`)
if (before) console.log(`Java before: ${JSON.parse(r.javaBeforeCmd).join(' ')}`)
console.log('')
console.log(`| figure | js-libp2p | ggen (Java) | Java advantage | goal |${before ? ' Java before | now / before |' : ''}`)
console.log(`|---|---|---|---|---|${before ? '---|---|' : ''}`)
for (const row of rows) console.log(row)
for (const [impl, res] of [['js', js], ['Java', jv], ['Java before', before ?? {}]]) {
  for (const [k, v] of Object.entries(res)) {
    if (k.startsWith('error_')) console.log(`\n${impl}: phase ${k.slice(6)} failed: ${v}`)
    else if (v?.error) console.log(`\n${impl}: ${k} failed: ${v.error}`)
  }
}
console.log('\n"Java advantage": Java/js for MB/s, js/Java for times, CPU-seconds and MiB; above 1x Java is better.')
