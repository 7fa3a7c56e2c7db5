// The table assembly of bench/run, on canned inputs (bench/test/fixtures/canned-run: the files a
// run writes, at a quick run's sizes, with a failed js phase, a timed-out suite, a skipped one, an
// empty file and a partial line).
// Run by ggen-bench's SuiteTableTest (mvn verify), or alone: node --test bench/test/
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { assemble, markdown, verdict } from '../suite-table.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixture = path.join(here, 'fixtures', 'canned-run')
const row = (run, suite, start) => run.rows.find(r => r.suite === suite && r.metric.startsWith(start))

test('wire rows carry js, Java, the ratio and issue 18 goals', () => {
  const run = assemble(fixture)
  const sink = row(run, 'wire', 'one stream, dialer -> listener, 64 MiB, MB/s')
  assert.equal(sink.js, 352.27)
  assert.equal(sink.java, 556.68)
  assert.equal(sink.ratio.toFixed(2), '1.58')
  assert.equal(sink.verdict, 'not met')
  const ping = row(run, 'wire', 'ping')
  assert.equal(ping.ratio.toFixed(2), (1.89 / 1.35).toFixed(2))
  assert.equal(ping.verdict, 'met')
  const conns = row(run, 'wire', '4 connections at once (1 dialer, 4 listeners), CPU-s')
  assert.equal(conns.js, null)
  assert.equal(conns.verdict, 'n/a')
  assert.ok(run.notes.some(n => n.includes('tpConns failed: sinkTo failed')))
})

test('commands are judged against their own goals, Java only', () => {
  const run = assemble(fixture)
  assert.equal(row(run, 'commands', 'p2p status,').verdict, 'met')
  assert.equal(row(run, 'commands', 'p2p search --format json').verdict, 'not met')
  assert.equal(row(run, 'commands', 'p2p search (no node)').verdict, 'met')
  assert.equal(row(run, 'commands', 'p2p search (no node)').goal.below, 300)
  assert.equal(row(run, 'commands', 'p2p publish').goal.below, 500)
  assert.equal(row(run, 'commands', 'publish on A -> found').goal.below, 1000)
  assert.equal(row(run, 'commands', "node A's publish").verdict, '-')
  assert.ok(run.rows.filter(r => r.suite === 'commands').every(r => r.js === null && r.ratio === null))
})

test('catalog goals are not judged at a quick run\'s sizes, and a cut line is skipped', () => {
  const run = assemble(fixture)
  const catalog = run.rows.filter(r => r.suite === 'catalog')
  assert.equal(catalog.length, 8) // two syncs and two search phases (2 rows each); the cut third line is skipped
  assert.equal(row(run, 'catalog', 'catalog sync of 2000 releases by a freshly started node').verdict, 'n/a')
  assert.equal(row(run, 'catalog', 'catalog sync of 2000 releases, both nodes in one JVM').verdict, '-')
  assert.equal(row(run, 'catalog', 'search at 10000 releases while ingesting 200').verdict, 'n/a')
  assert.equal(row(run, 'catalog', 'search at 10000 releases alone').verdict, '-')
})

test('catalog goals are judged at the sizes issue 18 states', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'suite-table-'))
  try {
    writeFileSync(path.join(dir, 'catalog.jsonl'), [
      { bench: 'catalog-sync', releases: 10000, runs: 3, releasesPerSecond: 5051, cpuSecondsPer10k: 2.63 },
      { bench: 'catalog-sync-fresh', releases: 10000, runs: 3, releasesPerSecond: 4100, firstRunReleasesPerSecond: 3900, joinCpuSecondsPer10k: 3.9 },
      { bench: 'catalog-search', phase: 'ingesting', releases: 100000, announcementsPerSecondAsked: 200, announcementsPerSecond: 199, p50Ms: 1.012, p99Ms: 2.91, cpuP50Ms: 0.99, cpuP99Ms: 2.78 }
    ].map(o => JSON.stringify(o)).join('\n') + '\n')
    const run = assemble(dir)
    // Judged on the freshly started node (the goal's case), not on the JVM that warmed up run after run.
    assert.equal(row(run, 'catalog', 'catalog sync of 10000 releases by a freshly started node').verdict, 'not met')
    assert.equal(row(run, 'catalog', 'catalog sync of 10000 releases, both nodes in one JVM').verdict, '-')
    assert.equal(row(run, 'catalog', 'search at 100000 releases while ingesting 200 announcements/s (199/s reached), p50').verdict, 'not met')
    assert.equal(row(run, 'catalog', 'search at 100000 releases while ingesting 200 announcements/s (199/s reached), p99').verdict, 'met')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('overlay rows compare js and Java; a missing pair gives no rows, an empty file a note', () => {
  const run = assemble(fixture)
  const last = row(run, 'overlay', 'gossipsub, 8 nodes, 10 messages: last delivery')
  assert.equal(last.ratio, 2)
  assert.equal(row(run, 'overlay', 'DHT'), undefined)
  const relay = row(run, 'overlay', 'gossipsub relay, 1000 messages to 5')
  assert.equal(relay.js, 9000)
  assert.equal(relay.java, null)
  assert.equal(relay.ratio, null)
  assert.ok(run.notes.some(n => n.startsWith(path.join('overlay', 'java-relay.json') + ': empty or not JSON')))
})

test('a quick run shows every figure and judges none', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'suite-table-'))
  try {
    cpSync(fixture, dir, { recursive: true })
    const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8'))
    writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ ...meta, mode: 'quick' }))
    const run = assemble(dir)
    assert.ok(run.rows.filter(r => r.goal).length > 10)
    assert.ok(run.rows.every(r => r.verdict === '-' || r.verdict === 'n/a'))
    assert.equal(row(run, 'wire', 'ping').ratio.toFixed(2), (1.89 / 1.35).toFixed(2))
    assert.match(markdown(run), /\| >= 1x js \(not judged in a quick run\) \| n\/a \|/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('verdicts', () => {
  assert.equal(verdict({ js: 10, java: 5, better: 'lower', goal: { ratio: 2 } }), 'met')
  assert.equal(verdict({ js: 10, java: 6, better: 'lower', goal: { ratio: 2 } }), 'not met')
  assert.equal(verdict({ js: null, java: 6, better: 'lower', goal: { ratio: 2 } }), 'n/a')
  assert.equal(verdict({ java: 5000, goal: { above: 5000 } }), 'not met')
  assert.equal(verdict({ java: 97, goal: { atLeast: 97 } }), 'met')
  assert.equal(verdict({ java: 1, goal: null }), '-')
})

test('the markdown holds the load at both ends, the JVM options, each suite\'s status and one table', () => {
  const md = markdown(assemble(fixture))
  assert.match(md, /load average \(1, 5, 15 min\): 1\.50 1\.60 2\.80 at the start, 3\.10 2\.00 2\.90 at the end/)
  assert.match(md, /JVM options .*`-XX:\+UseSerialGC -Xms8m -Xmx1g --enable-native-access=ALL-UNNAMED`/)
  assert.match(md, /- nat: skipped: needs root \(network namespaces\)/)
  assert.match(md, /- overlay: timed out in 900 s/)
  assert.equal(md.split('\n').filter(l => l.startsWith('| suite | metric | js-libp2p | ggen (Java) | ratio | goal | met |')).length, 1)
  assert.match(md, /\| commands \| p2p search --format json, median ms \(3 runs; CPU 192 ms\) \| - \| 210\.2 \| - \| < 200 \| \*\*not met\*\* \|/)
  assert.match(md, /Goals: \d+ met, \d+ not met\./)
})

test('the command line writes table.md and summary.json beside the inputs', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'suite-table-'))
  try {
    cpSync(fixture, dir, { recursive: true })
    const printed = execFileSync(process.execPath, [path.join(here, '..', 'suite-table.mjs'), dir], { encoding: 'utf8' })
    assert.equal(readFileSync(path.join(dir, 'table.md'), 'utf8'), printed)
    assert.ok(existsSync(path.join(dir, 'summary.json')))
    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'))
    assert.equal(summary.meta.mode, 'full')
    assert.ok(summary.rows.length > 20)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the 4-connection phase\'s cold figures are rows of their own, only where a run has them', async () => {
  const { wireRows } = await import('../wire-table.mjs')
  const tpConns = (MBps, cpu, cold) => ({ connections: 4, MBps, cpuPerGiB: cpu, ...(cold ? { cold } : {}) })
  const withCold = wireRows({
    config: { CONNS: 4, WARM_MIB: 512 },
    js: { tpConns: tpConns(179.1, 5.68, { MiBPerConnection: 1024, MBps: 256.96, cpuPerGiB: 5.83 }) },
    java: { tpConns: tpConns(714.2, 2.6, { MiBPerConnection: 1024, MBps: 360.79, cpuPerGiB: 4.75 }) }
  })
  const cold = withCold.filter(r => r.metric.startsWith('same, cold'))
  assert.deepEqual(cold.map(r => [r.js, r.java, r.better]), [[256.96, 360.79, 'higher'], [5.83, 4.75, 'lower']])
  assert.ok(cold[0].metric.includes('first 1024 MiB per connection'))
  const without = wireRows({ config: { CONNS: 4, WARM_MIB: 512 }, js: { tpConns: tpConns(341, 5.72) }, java: { tpConns: tpConns(371.1, 5.2) } })
  assert.equal(without.filter(r => r.metric.startsWith('same, cold')).length, 0)
  assert.equal(without.filter(r => r.metric.startsWith('4 connections')).length, 2)
})

test('a Java transfer\'s JIT compiler share is a row of its own, after its CPU row, with no js figure or ratio', async () => {
  const run = assemble(fixture)
  const at = run.rows.findIndex(r => r.metric.startsWith('one stream, dialer -> listener, 64 MiB, CPU-s'))
  const jit = run.rows[at + 1]
  assert.equal(jit.metric, 'one stream, dialer -> listener, 64 MiB: of that CPU, the JVM\'s JIT compiler threads, CPU-s per GiB')
  assert.deepEqual([jit.js, jit.java, jit.ratio, jit.verdict, jit.javaOnly], [null, 0.61, null, '-', true])
  // only the phase that has the figure gets the row
  assert.equal(run.rows.filter(r => r.metric.includes('JIT compiler')).length, 1)
  assert.ok(markdown(run).includes('| wire | one stream, dialer -> listener, 64 MiB: of that CPU, the JVM\'s JIT compiler threads, CPU-s per GiB | - | 0.61 | - | - | - |'))

  const { wireRows } = await import('../wire-table.mjs')
  const rows = wireRows({
    config: { CONNS: 4, WARM_MIB: 512 },
    js: { tpConns: { MBps: 179.1, cpuPerGiB: 5.68, cold: { MBps: 256.96, cpuPerGiB: 5.83 } } },
    java: { tpConns: { MBps: 714.2, cpuPerGiB: 2.6, jitPerGiB: 0.12, cold: { MBps: 360.79, cpuPerGiB: 4.75, jitPerGiB: 1.9 } } }
  })
  assert.deepEqual(rows.map(r => [r.metric.split(',')[0], r.java]), [
    ['4 connections at once (1 dialer', 714.2], ['4 connections at once (1 dialer', 2.6], ['4 connections at once (1 dialer', 0.12],
    ['same', 360.79], ['same', 4.75], ['same', 1.9]])
  assert.equal(new Set(rows.map(r => r.metric)).size, rows.length, 'every metric of a run is unique')
  assert.ok(rows[5].metric.startsWith('same, cold: of that CPU'))
})
