import { importFile, type ImportProgress, type ImportResult } from '../../app/import/import-file.ts'
import type { ImportSource } from '../../app/import/import-source.ts'
import { IMPORT_KINDS, type ImportKind, type Mapping } from '../../core/imports/mapping.ts'
import { formatPlanIssue } from '../../core/plans/parse-plan.ts'
import { formatInputIssue } from '../../core/records/issues.ts'
import { fileSource } from '../import/import-sources.ts'
import { loadMapping } from '../import/load-mapping.ts'
import type { Io } from './main.ts'
import { actor, type DbOptions, type OpenDb, withDb } from './with-db.ts'

/** The arguments and options of `followthrough import KIND FILE`. */
export interface ImportArgs extends DbOptions {
  readonly kind: string
  readonly file: string
  /** A built-in mapping's name or a mapping file. */
  readonly mapping?: string
  readonly preview?: boolean
}

const BAD_INPUT = 1
const WRONG_USAGE = 2

/**
 * `followthrough import reps|deals|activities|quotas FILE [--mapping NAME|FILE] [--preview]`:
 * 0 imported (or previewed), 1 bad input (every problem on stderr, nothing stored), 2 wrong usage.
 * Progress goes to stderr when it is a terminal.
 */
export async function importCommand(args: ImportArgs, io: Io, openDb: OpenDb): Promise<number> {
  if (!(IMPORT_KINDS as readonly string[]).includes(args.kind)) {
    io.stderr(`import: "${args.kind}" is not ${IMPORT_KINDS.join(', ')}\n`)
    return WRONG_USAGE
  }
  const kind = args.kind as ImportKind
  let mapping: Mapping | undefined
  if (args.mapping !== undefined) {
    const loaded = loadMapping(args.mapping)
    if (!loaded.ok) {
      if ('missing' in loaded) {
        io.stderr(`import: ${loaded.missing}\n`)
        return WRONG_USAGE
      }
      for (const issue of loaded.issues) io.stderr(`${formatPlanIssue(issue)}\n`)
      return BAD_INPUT
    }
    if (loaded.mapping.kind !== kind) {
      io.stderr(`import: mapping ${loaded.mapping.name} reads ${loaded.mapping.kind}, not ${kind}\n`)
      return WRONG_USAGE
    }
    mapping = loaded.mapping
  }
  let file: ImportSource
  try {
    file = fileSource(args.file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message
    io.stderr(`${args.file}:0: cannot open the file: ${reason}\n`)
    return BAD_INPUT
  }

  const stderrIsTTY = (io as Io & { stderrIsTTY?: boolean }).stderrIsTTY ?? process.stderr.isTTY === true
  return withDb(args, io, openDb, async (db, orgId) => {
    const progress = stderrIsTTY ? progressLine(io) : null
    let out: ImportResult
    try {
      out = await importFile(db, {
        orgId,
        kind,
        file,
        ...(mapping === undefined ? {} : { mapping }),
        actor: actor(),
        preview: args.preview === true,
        ...(progress === null ? {} : { onProgress: progress.update }),
      })
    } finally {
      progress?.clear()
    }
    if (args.preview === true) io.stdout(formatPreview(out.preview))
    if (!out.ok) {
      for (const issue of out.issues) io.stderr(`${formatInputIssue(issue)}\n`)
      if (out.more > 0) io.stderr(`… and ${out.more} more ${out.more === 1 ? 'problem' : 'problems'}\n`)
      io.stderr('Nothing was stored.\n')
      return BAD_INPUT
    }
    const c = out.counts
    const what = `${c.added} added, ${c.changed} changed, ${c.unchanged} unchanged`
    const filtered = c.skipped === 0 ? '' : `; ${c.skipped} export rows left out by the mapping's filters`
    const assigned = c.assigned === 0 ? '' : `; ${c.assigned} reps put on their plan`
    io.stdout(
      out.stored
        ? `Imported ${kind} from ${args.file}: ${what}${filtered}${assigned}.\n`
        : `Preview of ${c.rows} ${kind}: ${what}${filtered}${assigned} (would be). Nothing was stored.\n`,
    )
    for (const plan of out.unpublishedPlans) {
      io.stderr(
        `Note: plan ${plan} is not published: its reps are assigned to it when reps are imported after "followthrough plan publish".\n`,
      )
    }
    return 0
  })
}

const MAX_CELL = 32

/** The first rows as an aligned table, cells cut at 32 characters. */
export function formatPreview(preview: {
  header: readonly string[]
  rows: readonly (readonly string[])[]
}): string {
  if (preview.header.length === 0) return ''
  const clip = (text: string): string => {
    const chars = [...text]
    return chars.length <= MAX_CELL ? text : chars.slice(0, MAX_CELL - 1).join('') + '…'
  }
  const rows = [preview.header, ...preview.rows].map((r) => preview.header.map((_, i) => clip(r[i] ?? '')))
  const widths = preview.header.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)))
  const line = (r: readonly string[]): string =>
    r
      .map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length))
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  const [head, ...body] = rows
  return [line(head ?? []), rule, ...body.map(line), ''].join('\n')
}

/** One line on stderr rewritten in place (`\r`): rows, rows per second, time left from the file size. */
function progressLine(io: Io): { update: (p: ImportProgress) => void; clear: () => void } {
  let phase: ImportProgress['phase'] | null = null
  let startedMs = 0
  let shownMs = 0
  let shown = false
  return {
    update(p) {
      const nowMs = performance.now()
      if (p.phase !== phase) {
        phase = p.phase
        startedMs = nowMs
      } else if (nowMs - shownMs < 100) return
      shownMs = nowMs
      const seconds = (nowMs - startedMs) / 1000
      const rate = seconds > 0 ? p.rows / seconds : 0
      const fraction = p.totalBytes !== null && p.totalBytes > 0 ? p.bytes / p.totalBytes : null
      const left =
        fraction !== null && fraction > 0 && seconds > 0.5
          ? `  ${formatSeconds((seconds / fraction) * (1 - fraction))} left`
          : ''
      const verb = p.phase === 'check' ? 'checking' : 'storing '
      const speed = seconds < 0.5 ? '' : `  ${Math.round(rate).toLocaleString('en-US')} rows/s`
      io.stderr(`\r${verb} ${p.rows.toLocaleString('en-US')} rows${speed}${left}\x1b[K`)
      shown = true
    },
    clear() {
      if (shown) io.stderr('\r\x1b[K')
    },
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`
  const m = Math.floor(s / 60)
  return m < 60 ? `${m}m ${Math.ceil(s - m * 60)}s` : `${Math.floor(m / 60)}h ${m % 60}m`
}
