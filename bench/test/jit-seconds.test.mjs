// jitSeconds (interop/jspeer/lib/harness.mjs), which bench/wire.sh uses to report how much of a
// Java peer's CPU went to its JIT compiler, read from a real JVM's /proc entries.
// Run by ggen-bench's SuiteTableTest (mvn verify; JAVA_BIN names the JVM running the build), or
// alone: node --test bench/test/ (java from JAVA_HOME, else the PATH).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { jitSeconds, cpuSeconds } from '../../interop/jspeer/lib/harness.mjs'

const java = process.env.JAVA_BIN || (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java')

test('a process without HotSpot compiler threads has no JIT figure', () => {
  assert.equal(jitSeconds(process.pid), null)
  assert.equal(jitSeconds(2 ** 22 + 1), null) // no such process
})

test('a JVM\'s compiler threads are found and their CPU is part of the process\'s', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'jit-seconds-'))
  // The source launcher compiles the program with javac inside the JVM: its compiler threads
  // have work to do before main prints.
  writeFileSync(path.join(dir, 'Wait.java'), 'class Wait { public static void main(String[] a) throws Exception { System.out.println("up"); System.in.read(); } }\n')
  const jvm = spawn(java, ['-XX:+UseSerialGC', path.join(dir, 'Wait.java')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = once(jvm, 'exit').catch(() => {}) // a failed spawn is reported by the 'spawn' wait below
  const timer = setTimeout(() => jvm.kill('SIGKILL'), 60_000)
  try {
    await once(jvm, 'spawn') // rejects when there is no such program
    const lines = createInterface({ input: jvm.stdout })
    const [first] = await once(lines, 'line')
    assert.equal(first, 'up')
    const jit = jitSeconds(jvm.pid)
    assert.equal(typeof jit, 'number')
    assert.ok(jit > 0, `compiler threads' CPU ${jit} s`)
    assert.ok(jit <= cpuSeconds(jvm.pid), 'part of the process\'s CPU')
  } finally {
    jvm.stdin.end()
    if (jvm.pid != null) await exited
    clearTimeout(timer)
    rmSync(dir, { recursive: true, force: true })
  }
})
