// Lines up the connection set-up steps (JFR event io.ggen.p2p.ConnectionSetup) that a dialer
// and a listener recorded, connection by connection (matched by the dialer's TCP port), and
// prints, per step, the median moment it began and ended, in ms after the dial began, and its
// median duration. Used by bench/dial-breakdown.sh.
//
// usage: node bench/dial-breakdown.mjs dialer.json listener.json [skip]
//   *.json: `jfr print --json --events io.ggen.p2p.ConnectionSetup <recording>`
//   skip:   the first dials to leave out (warm-up); default 0
import { readFileSync } from 'node:fs'

const [dialerFile, listenerFile, skipArg] = process.argv.slice(2)
if (!dialerFile || !listenerFile) {
  console.error('usage: node bench/dial-breakdown.mjs dialer.json listener.json [skip]')
  process.exit(2)
}
const skip = Number(skipArg ?? 0)

// JFR prints instants with nanoseconds ("2026-12-05T05:40:01.123456789Z") and durations as
// ISO-8601 ("PT0.000123S"); Date keeps only milliseconds, so the fraction is read by hand.
const epochNs = (iso) => {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso)
  if (!m) throw new Error(`unexpected time ${iso}`)
  return BigInt(Date.parse(m[1] + 'Z')) * 1_000_000n + BigInt(((m[2] ?? '') + '000000000').slice(0, 9))
}
const durationNs = (iso) => {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso ?? 'PT0S')
  if (!m) throw new Error(`unexpected duration ${iso}`)
  return Math.round(((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1e9)
}
// beganNanos (System.nanoTime(), CLOCK_MONOTONIC: one clock for both processes) when the
// recording has it; older recordings have only JFR's wall-clock startTime.
const read = (file, side) => JSON.parse(readFileSync(file, 'utf8')).recording.events.map(e => ({
  side,
  step: e.values.step,
  port: e.values.dialerPort,
  start: e.values.beganNanos ? BigInt(e.values.beganNanos) : epochNs(e.values.startTime),
  monotonic: Boolean(e.values.beganNanos),
  durNs: durationNs(e.values.duration)
}))

const dialerEvents = read(dialerFile, 'dialer')
const listenerEvents = read(listenerFile, 'listener')
// Each dial begins with the dialer's "dial" step; every other event of the dialer belongs to
// the latest dial on the same port that began before it (ports are reused only after many dials).
const dials = dialerEvents.filter(e => e.step === 'dial').sort((a, b) => (a.start < b.start ? -1 : 1))
const byPort = new Map()
for (const d of dials) {
  d.events = []
  if (!byPort.has(d.port)) byPort.set(d.port, [])
  byPort.get(d.port).push(d)
}
const ownerOf = (port, at) => {
  let owner = null
  for (const d of byPort.get(port) ?? []) if (d.start <= at + 1_000_000n) owner = d
  return owner
}
for (const e of dialerEvents) ownerOf(e.port, e.start)?.events.push(e)
// With the monotonic clock both processes' steps are on one time line as they are. Without it
// (two JVMs' JFR wall clocks can disagree by milliseconds) the listener's steps are placed on
// the dialer's time line by one anchor per connection: the listener's channel becoming active
// is taken as the moment the dialer's TCP connect completed. Its steps keep their own
// durations and spacing.
const monotonic = dialerEvents.every(e => e.monotonic) && listenerEvents.every(e => e.monotonic)
const listenerByPort = new Map()
for (const e of listenerEvents) {
  if (!listenerByPort.has(e.port)) listenerByPort.set(e.port, [])
  listenerByPort.get(e.port).push(e)
}
for (const list of listenerByPort.values()) {
  list.sort((a, b) => (a.start < b.start ? -1 : 1))
  // split the port's events into connections, each starting at a channel-active
  let anchor = null
  let group = []
  const flush = () => {
    if (anchor == null) return
    // the n-th connection on a port in the listener is the n-th dial from it
    const d = (byPort.get(anchor.port) ?? [])[anchor.rank]
    const connected = d?.events.find(x => x.step === 'tcp-connect')
    if (connected) {
      const shift = monotonic ? 0n : connected.start + BigInt(connected.durNs) - anchor.start
      for (const x of group) d.events.push({ ...x, start: x.start + shift })
    }
  }
  let rank = 0
  for (const e of list) {
    if (e.step === 'channel-active') {
      flush()
      anchor = { ...e, rank: rank++ }
      group = []
    }
    if (anchor) group.push(e)
  }
  flush()
}
const used = dials.slice(skip).filter(d => d.events.some(e => e.step === 'bench-identified'))
if (used.length === 0) {
  console.error('no complete dial found (was the event enabled in both recordings?)')
  process.exit(1)
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
const rows = new Map()
for (const d of used) {
  const seen = new Map()
  for (const e of d.events) {
    const key = `${e.side} ${e.step}`
    if (seen.has(key)) continue // a step repeated on one connection (e.g. a second stream): the first counts
    seen.set(key, true)
    const at = Number(e.start - d.start) / 1e6
    if (!rows.has(key)) rows.set(key, { side: e.side, step: e.step, begin: [], end: [], dur: [] })
    const r = rows.get(key)
    r.begin.push(at)
    r.end.push(at + e.durNs / 1e6)
    r.dur.push(e.durNs / 1e6)
  }
}
const f = (x) => x.toFixed(3).padStart(8)
console.log(`${used.length} dials (${skip} skipped); ms after the dialer's dial began, medians (${monotonic ? 'one monotonic clock for both processes' : "listener: its channel-active = the dialer's connect end"})`)
console.log(`${'side'.padEnd(9)} ${'step'.padEnd(18)} ${'begins'.padStart(8)} ${'ends'.padStart(8)} ${'takes'.padStart(8)}  n`)
for (const r of [...rows.values()].sort((a, b) => median(a.end) - median(b.end))) {
  console.log(`${r.side.padEnd(9)} ${r.step.padEnd(18)} ${f(median(r.begin))} ${f(median(r.end))} ${f(median(r.dur))}  ${r.dur.length}`)
}
