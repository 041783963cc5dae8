import { spawn } from 'node:child_process'
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs'

export interface ChildRun {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly wallSeconds: number
  /** Peak RSS of the process (and its children), bytes; null when it could not be measured. */
  readonly peakRssBytes: number | null
  /** How the peak was measured. */
  readonly peakBy: 'time -v' | '/proc VmHWM' | 'none'
}

const GNU_TIME = '/usr/bin/time'

/**
 * Runs a command to its end and measures its wall time and peak RSS: through `/usr/bin/time -v`
 * when present, else by polling /proc/PID/status for VmHWM (the kernel's high-water mark).
 * `stdoutFile` receives standard output when given; otherwise it is collected.
 */
export async function runChild(
  command: string,
  args: readonly string[],
  stdoutFile?: string,
): Promise<ChildRun> {
  const useTime = existsSync(GNU_TIME)
  const fd = stdoutFile === undefined ? null : openSync(stdoutFile, 'w')
  const started = performance.now()
  const child = useTime
    ? spawn(GNU_TIME, ['-v', command, ...args], { stdio: ['ignore', fd ?? 'pipe', 'pipe'] })
    : spawn(command, [...args], { stdio: ['ignore', fd ?? 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s))
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s))
  let polled = 0
  const poll =
    useTime || child.pid === undefined
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
            if (m !== null) polled = Math.max(polled, Number(m[1]) * 1024)
          } catch {
            // The process has just ended: the last reading stands.
          }
        }, 20)
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve(code))
  })
  const wallSeconds = (performance.now() - started) / 1000
  if (poll !== null) clearInterval(poll)
  if (fd !== null) closeSync(fd)
  if (useTime) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)
    const exit = /Command exited with non-zero status (\d+)/.exec(stderr)
    // time -v appends its report to the child's stderr; keep the child's own text apart.
    const own = stderr.slice(0, Math.max(0, stderr.lastIndexOf('\tCommand being timed:')))
    return {
      status: exit === null ? status : Number(exit[1]),
      stdout,
      stderr: exit === null ? own : own.replace(/Command exited with non-zero status \d+\n?$/, ''),
      wallSeconds,
      peakRssBytes: m === null ? null : Number(m[1]) * 1024,
      peakBy: m === null ? 'none' : 'time -v',
    }
  }
  return {
    status,
    stdout,
    stderr,
    wallSeconds,
    peakRssBytes: polled || null,
    peakBy: polled ? '/proc VmHWM' : 'none',
  }
}

/** The JSON after `RESULT ` in a child's output. */
export function resultOf<T>(run: ChildRun, what: string): T {
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (run.status !== 0 || line === undefined) {
    throw new Error(`${what} failed (exit ${run.status}):\n${run.stderr.slice(-4000)}`)
  }
  return JSON.parse(line.slice('RESULT '.length)) as T
}

/** The largest heap V8 reported before a collection in --trace-gc lines, bytes (0 when none). */
export function heapPeakFromTrace(text: string): number {
  let peak = 0
  for (const m of text.matchAll(/ ms: [A-Za-z() -]+? ([\d.]+) \([\d.]+\) -> [\d.]+ \([\d.]+\) MB/g)) {
    peak = Math.max(peak, Number(m[1]) * 1024 * 1024)
  }
  return peak
}
