import { open, type FileHandle } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parse, type CsvError } from 'csv-parse'
import type { Plan } from '../../core/plans/plan.ts'
import type { RowReader } from '../../core/records/header.ts'
import { IssueCollector } from '../../core/records/issues.ts'
import { emptyActivities, readActivities } from '../../core/records/read-activities.ts'
import { readDeals } from '../../core/records/read-deals.ts'
import { readQuotas } from '../../core/records/read-quotas.ts'
import { readReps } from '../../core/records/read-reps.ts'
import type { InputIssue, Records } from '../../core/records/records.ts'

export type ReadResult =
  | { readonly ok: true; readonly records: Records }
  | { readonly ok: false; readonly issues: InputIssue[]; readonly more: number }

export interface RecordFiles {
  readonly reps: string
  readonly deals: string
  readonly activities?: string
  readonly quotas?: string
}

/**
 * Streams the CSV files of a run from disk into the core readers (reps first: deals, activities
 * and quotas refer to them) and checks them whole. Records only when no file has a problem;
 * otherwise the first `limit` issues, files named as given, and how many more there were. A file
 * that cannot be opened or read is an issue at line 0 (the file as a whole).
 */
export async function readRecords(
  files: RecordFiles,
  plans: readonly Plan[],
  limit = 100,
): Promise<ReadResult> {
  const issues = new IssueCollector(limit)
  const roles = ['reps', 'deals', 'activities', 'quotas'] as const
  const handles = new Map<(typeof roles)[number], FileHandle>()
  try {
    for (const role of roles) {
      const file = files[role]
      if (file === undefined) continue
      try {
        const handle = await open(file, 'r')
        handles.set(role, handle)
        if ((await handle.stat()).isDirectory())
          issues.add(file, 0, 'cannot open the file: it is a directory')
      } catch (error) {
        issues.add(file, 0, `cannot open the file: ${describeFsError(error)}`)
      }
    }
    const failed = (): ReadResult => ({ ok: false, issues: issues.list(), more: issues.more })
    if (issues.count > 0) return failed()

    // A file that fails while being read ends the reading (null): what follows would only add noise.
    const read = async <T>(
      role: (typeof roles)[number],
      file: string,
      reader: RowReader<T>,
    ): Promise<T | null> => {
      const handle = handles.get(role)
      handles.delete(role)
      if (handle !== undefined && !(await streamCsv(handle, file, reader, issues))) return null
      return reader.finish()
    }
    const repsRead = await read('reps', files.reps, readReps(files.reps, issues))
    if (repsRead === null) return failed()
    const { reps, repIndex } = repsRead
    const context = { reps, repIndex, plans }
    const deals = await read('deals', files.deals, readDeals(files.deals, issues, context))
    if (deals === null) return failed()
    const activities =
      files.activities === undefined
        ? emptyActivities()
        : await read('activities', files.activities, readActivities(files.activities, issues, repIndex))
    if (activities === null) return failed()
    const quotas =
      files.quotas === undefined
        ? []
        : await read('quotas', files.quotas, readQuotas(files.quotas, issues, context))
    if (quotas === null || issues.count > 0) return failed()
    return { ok: true, records: { reps, repIndex, deals, activities, quotas } }
  } finally {
    for (const handle of handles.values()) await handle.close()
  }
}

/**
 * Feeds one file through csv-parse (RFC 4180 as written, BOM dropped, blank lines skipped) to a
 * reader, record by record, with the physical line each record starts on. Malformed CSV is
 * reported (once per line) and the record skipped; the rest of the file is still read. False when
 * the file could not be read to its end.
 */
async function streamCsv(
  handle: FileHandle,
  file: string,
  reader: RowReader<unknown>,
  issues: IssueCollector,
): Promise<boolean> {
  // csv-parse counts the lines a record ends on, and counts a CRLF inside a quoted cell twice:
  // the start line is its count less the breaks it saw in the record, less that surplus so far.
  let lastEnd = 0
  let surplus = 0
  let columns = -1
  let lastBrokenLine = -1
  const startOf = (record: readonly string[], end: number): number => {
    if (end - lastEnd <= 1) {
      lastEnd = end
      return end - surplus
    }
    let counted = 0
    let real = 0
    for (const cell of record) {
      for (let i = 0; i < cell.length; i++) {
        const c = cell.charCodeAt(i)
        if (c === 10) {
          counted++
          real++
        } else if (c === 13) {
          counted++
          if (cell.charCodeAt(i + 1) !== 10) real++
        }
      }
    }
    const start = end - counted - surplus
    surplus += counted - real
    lastEnd = end
    return start
  }

  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], info) => {
      const line = startOf(record, info.lines)
      if (columns < 0) {
        columns = record.length
        reader.header(record, line)
      } else {
        reader.row(record, line)
      }
      return null
    },
    on_skip: (error) => {
      if (error === undefined) return undefined
      // CsvError carries the parser's info (`lines`) and, for a wrong cell count, the record.
      const { record, lines } = error as CsvError & { record?: unknown; lines?: unknown }
      const end = typeof lines === 'number' ? lines : lastEnd + 1
      const line = Array.isArray(record)
        ? startOf(record as string[], end)
        : error.code === 'CSV_QUOTE_NOT_CLOSED'
          ? lastEnd + 1 - surplus
          : end - surplus
      // One broken record can trip several errors (each stray quote): report its line once.
      if (line !== lastBrokenLine) issues.add(file, line, describeCsvError(error, record, columns))
      lastBrokenLine = line
      return undefined
    },
  })
  const discard = new Writable({ objectMode: true, write: (_chunk, _encoding, done) => done() })
  try {
    await pipeline(handle.createReadStream(), parser, discard)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).syscall === undefined) throw error
    issues.add(file, 0, `cannot read the file: ${describeFsError(error)}`)
    return false
  }
}

function describeCsvError(error: CsvError, record: unknown, columns: number): string {
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const cells = Array.isArray(record) ? record.length : NaN
      return `${cells} ${cells === 1 ? 'cell' : 'cells'}, but the header has ${columns}`
    }
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted cell (quote the whole cell and double the quotes inside)'
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after the closing quote of a cell'
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed'
    default:
      return `malformed CSV (${error.code}): ${error.message}`
  }
}

function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException
  if (e.code === 'ENOENT') return 'no such file'
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied'
  if (e.code === 'EISDIR') return 'it is a directory'
  return e.message
}
