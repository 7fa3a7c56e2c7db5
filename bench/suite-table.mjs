// Assembles one bench/run into ONE table: metric, js, Java, ratio, goal, met / not met, from the
// machine-readable files the suite's scripts wrote under bench/results/<time>/ (see bench/run),
// plus the load average at the start and the end and the JVM options used. Prints Markdown and
// writes table.md and summary.json beside the inputs.
// usage: node bench/suite-table.mjs <results dir>
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { advantage, wireRows, wireFailures } from './wire-table.mjs'

/** Files that exist but hold no JSON (a suite that failed before its last line): named in the notes. */
let unreadable = []
const readJson = (f) => {
  if (!existsSync(f)) return null
  try {
    return JSON.parse(readFileSync(f, 'utf8'))
  } catch {
    unreadable.push(f)
    return null
  }
}
/** A file of JSON lines; lines that are not JSON (a run cut short mid-line) are skipped. */
const readLines = (f) => {
  if (!existsSync(f)) return []
  const out = []
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (!line.trim()) continue
    try { out.push(JSON.parse(line)) } catch { /* a partial last line */ }
  }
  return out
}

/** Issue 18's goals for the client commands, by the case names bench/commands.sh prints. */
const COMMAND_GOALS = {
  'p2p publish (small pack, on A)': 500,
  'publish on A -> found by p2p search on C': 1000,
  'marketplace search (no node)': 300,
  'p2p search (no node)': 300,
  "node A's publish (API, no CLI)": null,
  "publish on A -> in C's catalog (API, no CLI)": null
}
const commandGoal = (name) => (name in COMMAND_GOALS ? COMMAND_GOALS[name] : 200)

/** Sizes at which issue 18 states the catalog goals; a smaller (quick) run is not judged. */
export const CATALOG_SYNC_GOAL_RELEASES = 10_000
export const CATALOG_SEARCH_GOAL_RELEASES = 100_000

/**
 * The verdict of one row: 'met', 'not met', '-' (no goal) or 'n/a' (a figure is missing, or the
 * goal is stated for another size). Goals: { ratio } Java advantage at least, { below } Java's
 * figure under, { above } over, { atLeast } at least.
 */
export function verdict (row) {
  const g = row.goal
  if (!g) return '-'
  if (g.notJudged) return 'n/a'
  if (g.ratio != null) {
    const r = advantage(row.js, row.java, row.better)
    return r == null ? 'n/a' : r >= g.ratio ? 'met' : 'not met'
  }
  if (row.java == null) return 'n/a'
  if (g.below != null) return row.java < g.below ? 'met' : 'not met'
  if (g.above != null) return row.java > g.above ? 'met' : 'not met'
  if (g.atLeast != null) return row.java >= g.atLeast ? 'met' : 'not met'
  return '-'
}

export function goalText (g) {
  if (!g) return '-'
  const t = g.ratio != null ? `>= ${g.ratio}x js` : g.below != null ? `< ${g.below}` : g.above != null ? `> ${g.above}` : `>= ${g.atLeast}`
  return g.notJudged ? `${t} (${g.notJudged})` : t
}

const javaOnly = (suite, metric, java, better, goal = null) => ({ suite, metric, js: null, java: java ?? null, better, goal, javaOnly: true })

function commandsRows (dir) {
  return readLines(path.join(dir, 'commands.jsonl')).filter(c => c.case).map(c => {
    const goalMs = commandGoal(c.case)
    return javaOnly('commands', `${c.case}, median ms (${c.runs} runs; CPU ${c.cpuMs} ms)`, c.medianMs, 'lower', goalMs == null ? null : { below: goalMs })
  })
}

function catalogRows (dir) {
  const rows = []
  for (const c of readLines(path.join(dir, 'catalog.jsonl'))) {
    if (c.bench === 'catalog-sync-fresh') {
      // The goal's case: a node that syncs right after it starts (a new JVM each run).
      const judged = c.releases >= CATALOG_SYNC_GOAL_RELEASES ? {} : { notJudged: `stated at ${CATALOG_SYNC_GOAL_RELEASES} releases` }
      rows.push(javaOnly('catalog', `catalog sync of ${c.releases} releases by a freshly started node, releases/s (median of ${c.runs}; first ${c.firstRunReleasesPerSecond})`,
        c.releasesPerSecond, 'higher', { above: 5000, ...judged }))
      rows.push(javaOnly('catalog', 'the same, CPU-s per 10,000 releases (joining node)', c.joinCpuSecondsPer10k, 'lower'))
    } else if (c.bench === 'catalog-sync') {
      rows.push(javaOnly('catalog', `catalog sync of ${c.releases} releases, both nodes in one JVM (warm after the first), releases/s (median of ${c.runs})`,
        c.releasesPerSecond, 'higher'))
      rows.push(javaOnly('catalog', 'the same, CPU-s per 10,000 releases (both nodes)', c.cpuSecondsPer10k, 'lower'))
    } else if (c.bench === 'catalog-search') {
      const what = c.phase === 'alone' ? 'alone'
        : c.phase === 'ingesting' ? `while ingesting ${c.announcementsPerSecondAsked} announcements/s (${c.announcementsPerSecond}/s reached)`
          : `while ingesting as fast as they go (${c.announcementsPerSecond}/s)`
      const judged = c.releases >= CATALOG_SEARCH_GOAL_RELEASES ? {} : { notJudged: `stated at ${CATALOG_SEARCH_GOAL_RELEASES} releases` }
      const goals = c.phase === 'ingesting'
      rows.push(javaOnly('catalog', `search at ${c.releases} releases ${what}, p50 ms (searching thread's CPU ${c.cpuP50Ms})`, c.p50Ms, 'lower', goals ? { below: 1, ...judged } : null))
      rows.push(javaOnly('catalog', `search at ${c.releases} releases ${what}, p99 ms (CPU ${c.cpuP99Ms})`, c.p99Ms, 'lower', goals ? { below: 5, ...judged } : null))
    }
  }
  return rows
}

function overlayRows (dir) {
  const rows = []
  const pair = (name) => [readJson(path.join(dir, 'overlay', `js-${name}.json`)), readJson(path.join(dir, 'overlay', `java-${name}.json`))]
  const add = (metric, js, java, pick, better) => {
    const a = js ? pick(js) : null; const b = java ? pick(java) : null
    if (a == null && b == null) return
    rows.push({ suite: 'overlay', metric, js: a ?? null, java: b ?? null, better, goal: null })
  }
  const [gj, gv] = pair('gossip')
  if (gj || gv) {
    const n = (gv ?? gj).nodes; const m = (gv ?? gj).messages
    add(`gossipsub, ${n} nodes, ${m} messages: last delivery, median ms`, gj, gv, o => o.lastDeliveryMsMedian, 'lower')
    add('gossipsub: delivery rate', gj, gv, o => o.deliveryRate, 'higher')
    add('gossipsub: duplicates per node per message (median)', gj, gv, o => o.duplicatesPerNodePerMsgMedian, 'lower')
    add('gossipsub: CPU ms per message, all nodes', gj, gv, o => o.cpuMsPerMessage, 'lower')
    add('gossipsub: idle CPU ms per second, all nodes', gj, gv, o => o.idleCpuMsPerSec, 'lower')
    add('gossipsub: RSS per node, MiB (median)', gj, gv, o => o.rssMiBMedian, 'lower')
  }
  const [dj, dv] = pair('dht')
  if (dj || dv) {
    add(`DHT, ${(dv ?? dj).nodes} nodes: PUT, median ms`, dj, dv, o => o.putMedianMs, 'lower')
    add('DHT: GET, median ms', dj, dv, o => o.getMedianMs, 'lower')
    add('DHT: GET success rate', dj, dv, o => o.getSuccessRate, 'higher')
    add('DHT: findProviders, first provider, median ms', dj, dv, o => o.findProvidersFirstMedianMs, 'lower')
  }
  const [rj, rv] = pair('relay')
  if (rj || rv) {
    add(`gossipsub relay, ${(rv ?? rj).messages} messages to ${(rv ?? rj).subscribers}: messages per CPU-second of the relay`, rj, rv, o => o.relayMessagesPerCpuSecond, 'higher')
    add('gossipsub relay: delivery rate', rj, rv, o => o.deliveryRate, 'higher')
  }
  return rows
}

function natRows (dir) {
  const rows = []
  for (const n of readLines(path.join(dir, 'nat.jsonl'))) {
    if (n.bench === 'holepunch') {
      const symmetric = n.kind === 'SYMMETRIC'
      rows.push(javaOnly('nat', `hole punch, router A ${n.kind}: trials ending direct, % (${n.direct} of ${n.trials})`, n.directPercent, 'higher', symmetric ? null : { atLeast: 97 }))
      if (symmetric) rows.push(javaOnly('nat', `hole punch, ${n.kind}: stayed relayed with the relay working, % (${n.relayedWorking} of ${n.trials})`, n.trials ? Math.round(1000 * n.relayedWorking / n.trials) / 10 : null, 'higher', { atLeast: 100 }))
      else rows.push(javaOnly('nat', `hole punch, ${n.kind}: relayed -> direct, median ms`, n.toDirectMedianMs, 'lower'))
    } else if (n.bench === 'nat-install') {
      rows.push(javaOnly('nat', `install of a small pack, ${n.setting === 'nat' ? 'across two NATs (hole punched)' : 'between public nodes'}: first install, median ms (${n.runs} runs)`, n.firstMedianMs, 'lower'))
    }
  }
  return rows
}

/** Every row of a run, in suite order, each with its ratio and verdict. */
export function assemble (dir) {
  unreadable = []
  const rows = []
  const wire = readJson(path.join(dir, 'wire', 'wire.json'))
  const notes = []
  if (wire) {
    for (const r of wireRows(wire)) rows.push({ suite: 'wire', ...r })
    notes.push(...wireFailures(wire).map(f => `wire: ${f}`))
  }
  rows.push(...commandsRows(dir), ...catalogRows(dir), ...overlayRows(dir), ...natRows(dir))
  // A quick run's sizes and run counts are a smoke test's: its figures are shown, not judged.
  const meta = readJson(path.join(dir, 'meta.json')) ?? {}
  if (meta.mode === 'quick') for (const r of rows) if (r.goal && !r.goal.notJudged) r.goal = { ...r.goal, notJudged: 'not judged in a quick run' }
  for (const f of unreadable) notes.push(`${path.relative(dir, f)}: empty or not JSON (its suite failed before writing it); its figures are missing`)
  for (const r of rows) {
    r.ratio = r.javaOnly ? null : advantage(r.js, r.java, r.better)
    r.verdict = verdict(r)
    delete r.before
  }
  return { meta, end: readJson(path.join(dir, 'end.json')) ?? {}, suites: readLines(path.join(dir, 'status.jsonl')), rows, notes }
}

const cell = (v) => (v == null ? 'n/a' : String(v))

export function markdown (run) {
  const { meta, end, suites, rows, notes } = run
  const out = []
  out.push(`# bench/run ${meta.mode ?? '?'}: ${meta.started ?? '?'} .. ${end.finished ?? '?'}`)
  out.push('')
  out.push(`- commit ${meta.commit ?? '?'}; ${meta.cores ?? '?'} cores; ${meta.java ?? 'java ?'}; node ${meta.node ?? '?'}`)
  out.push(`- load average (1, 5, 15 min): ${meta.loadStart ?? '?'} at the start, ${end.loadEnd ?? '?'} at the end`)
  out.push(`- JVM options (scripts/node.options, the node's own, used by every Java process measured): \`${meta.jvmOptions ?? '?'}\``)
  for (const s of suites) out.push(`- ${s.suite}: ${s.status}${s.seconds != null ? ` in ${s.seconds} s` : ''}${s.reason ? `: ${s.reason}` : ''}`)
  out.push('')
  out.push('| suite | metric | js-libp2p | ggen (Java) | ratio | goal | met |')
  out.push('|---|---|---|---|---|---|---|')
  for (const r of rows) {
    const ratio = r.javaOnly ? '-' : r.ratio == null ? 'n/a' : r.ratio.toFixed(2) + 'x'
    out.push(`| ${r.suite} | ${r.metric} | ${r.javaOnly ? '-' : cell(r.js)} | ${cell(r.java)} | ${ratio} | ${goalText(r.goal)} | ${r.verdict === 'not met' ? '**not met**' : r.verdict} |`)
  }
  out.push('')
  for (const n of notes) out.push(`- ${n}`)
  out.push('"ratio" is Java\'s advantage: Java/js where higher is better, js/Java where lower is; above 1x Java is better. ' +
    '"-": no js counterpart, or no goal. "n/a": a figure is missing, or the goal is stated for another size (a quick run).')
  const met = rows.filter(r => r.verdict === 'met').length; const notMet = rows.filter(r => r.verdict === 'not met').length
  out.push(`Goals: ${met} met, ${notMet} not met.`)
  return out.join('\n') + '\n'
}

function main (dir) {
  const run = assemble(dir)
  const md = markdown(run)
  writeFileSync(path.join(dir, 'table.md'), md)
  writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(run, null, 1) + '\n')
  process.stdout.write(md)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv[2])
