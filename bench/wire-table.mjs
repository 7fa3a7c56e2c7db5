// Prints one bench/wire.sh run (the JSON of interop/jspeer/bench/wire.mjs) as a Markdown table
// with ratios: "Java advantage" is Java/js for throughput and js/Java for times, CPU and sizes,
// so above 1x Java is better; the goal column is issue 18's. bench/suite-table.mjs takes its
// wire rows from wireRows() below, so both tables say the same.
// usage: node bench/wire-table.mjs <wire.json>
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** Java advantage of b over a: b/a when higher is better, a/b when lower is; null without both. */
export const advantage = (a, b, better) =>
  a != null && b != null && a !== 0 && b !== 0 ? (better === 'higher' ? b / a : a / b) : null

/**
 * The rows of one wire run: { metric, js, java, better, goal, before } where goal is null or
 * { ratio: n } (Java advantage at least n) and before is the "java-before" figure, if any.
 */
export function wireRows (r) {
  const js = r.js ?? {}; const jv = r.java ?? {}; const before = r['java-before']
  const rows = []
  const add = (metric, pick, better, goal = null) => {
    const a = pick(js); const b = pick(jv)
    if (a == null && b == null) return
    rows.push({ metric, js: a ?? null, java: b ?? null, better, goal, before: before ? pick(before) ?? null : undefined })
  }
  // A figure only the JVM has (js has no counterpart): shown, never compared with js.
  const javaOnly = (metric, pick) => {
    const b = pick(jv)
    if (b == null) return
    rows.push({ metric, js: null, java: b, better: 'lower', goal: null, javaOnly: true, before: before ? pick(before) ?? null : undefined })
  }
  // Of a Java transfer's CPU, what its JIT compiler threads took: the warm-up still under way.
  // Named after the row it follows, so that every metric of a run stays unique.
  const jit = (label, pick) => javaOnly(`${label}: of that CPU, the JVM's JIT compiler threads, CPU-s per GiB`, pick)
  const tp = (key, label) => {
    if (!js[key] && !jv[key]) return
    add(`${label}, MB/s (median)`, o => o[key]?.MBps, 'higher', key.startsWith('tp1') ? { ratio: 4 } : null)
    add(`${label}, CPU-s per GiB, all peer processes`, o => o[key]?.cpuPerGiB, 'lower', { ratio: 4 })
    jit(label, o => o[key]?.jitPerGiB)
  }
  const c = r.config ?? {}
  tp('tp1Sink', `one stream, dialer -> listener, ${c.MIB} MiB`)
  tp('tp1Source', 'one stream, listener -> dialer')
  tp('tpStreams', `${c.STREAMS} streams at once on one connection`)
  tp('tpConns', `${c.CONNS} connections at once (1 dialer, ${c.CONNS} listeners)`)
  add(`same, cold: fresh processes' first ${2 * c.WARM_MIB} MiB per connection, MB/s`, o => o.tpConns?.cold?.MBps, 'higher')
  add('same, cold, CPU-s per GiB, all peer processes', o => o.tpConns?.cold?.cpuPerGiB, 'lower')
  jit('same, cold', o => o.tpConns?.cold?.jitPerGiB)
  add('dial + upgrade (TCP, multistream, Noise, Yamux), median ms', o => o.dial?.connectMs, 'lower')
  add('dial + upgrade + identify, median ms', o => o.dial?.identifyMs, 'lower', { ratio: 3 })
  add('dial + upgrade + identify + hang-up, CPU-ms per dial, both processes', o => o.dial?.cpuMsPerDial, 'lower')
  add('ping on an open connection, median ms', o => o.ping?.ms, 'lower', { ratio: 1 })
  add('RSS of an idle node, MiB', o => o.mem?.idleMiB, 'lower')
  add(`RSS with ${jv.mem?.connections ?? js.mem?.connections} connections, MiB (js: ${js.mem?.connections ?? 'n/a'})`, o => o.mem?.loadedMiB, 'lower', { ratio: 1 })
  add('RSS per connection, KiB', o => o.mem?.perConnKiB, 'lower')
  return rows
}

/** Phases that failed in a wire run, one line each. */
export function wireFailures (r) {
  const out = []
  for (const [impl, res] of [['js', r.js ?? {}], ['Java', r.java ?? {}], ['Java before', r['java-before'] ?? {}]]) {
    for (const [k, v] of Object.entries(res)) {
      if (k.startsWith('error_')) out.push(`${impl}: phase ${k.slice(6)} failed: ${v}`)
      else if (v?.error) out.push(`${impl}: ${k} failed: ${v.error}`)
    }
  }
  return out
}

const fmtRatio = (x) => (x == null ? 'n/a' : x.toFixed(2) + 'x')

function main (file) {
  const r = JSON.parse(readFileSync(file, 'utf8'))
  const before = r['java-before']
  console.log(`Run ${r.started} .. ${r.finished}; load average (1, 5, 15 min) ${r.loadStart} at start, ${r.loadEnd} at end`)
  console.log(`Java: ${r.javaCmd ? JSON.parse(r.javaCmd).join(' ') : 'n/a'}`)
  if (before) console.log(`Java before: ${JSON.parse(r.javaBeforeCmd).join(' ')}`)
  console.log('')
  console.log(`| figure | js-libp2p | ggen (Java) | Java advantage | goal |${before ? ' Java before | now / before |' : ''}`)
  console.log(`|---|---|---|---|---|${before ? '---|---|' : ''}`)
  for (const row of wireRows(r)) {
    const extra = before ? ` ${row.before ?? 'n/a'} | ${fmtRatio(advantage(row.before, row.java, row.better))} |` : ''
    const goal = row.goal ? `>= ${row.goal.ratio}x` : ''
    const js = row.javaOnly ? '-' : row.js ?? 'n/a'
    const ratio = row.javaOnly ? '-' : fmtRatio(advantage(row.js, row.java, row.better))
    console.log(`| ${row.metric} | ${js} | ${row.java ?? 'n/a'} | ${ratio} | ${goal} |${extra}`)
  }
  for (const f of wireFailures(r)) console.log(`\n${f}`)
  console.log('\n"Java advantage": Java/js for MB/s, js/Java for times, CPU-seconds and MiB; above 1x Java is better. "-": js has no counterpart.')
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv[2])
