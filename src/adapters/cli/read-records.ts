import { open, type FileHandle } from 'node:fs/promises'
import { readCsv } from '../csv/read-csv.ts'
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
  const regular = new Set<(typeof roles)[number]>()
  try {
    for (const role of roles) {
      const file = files[role]
      if (file === undefined) continue
      try {
        const handle = await open(file, 'r')
        handles.set(role, handle)
        const stat = await handle.stat()
        if (stat.isDirectory()) issues.add(file, 0, 'cannot open the file: it is a directory')
        if (stat.isFile()) regular.add(role)
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
    // Deals and activities may run to millions of rows: sized from a regular file's line count,
    // their columns are allocated once (a stream that cannot be read twice goes without).
    const expectedRows = async (role: 'deals' | 'activities'): Promise<number> => {
      const handle = handles.get(role)
      return handle !== undefined && regular.has(role) ? countLineFeeds(handle) : 0
    }
    const repsRead = await read('reps', files.reps, readReps(files.reps, issues))
    if (repsRead === null) return failed()
    const { reps, repIndex } = repsRead
    const context = { reps, repIndex, plans }
    const deals = await read(
      'deals',
      files.deals,
      readDeals(files.deals, issues, context, await expectedRows('deals')),
    )
    if (deals === null) return failed()
    const activities =
      files.activities === undefined
        ? emptyActivities()
        : await read(
            'activities',
            files.activities,
            readActivities(files.activities, issues, repIndex, await expectedRows('activities')),
          )
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
 * Feeds one file through the CSV reader (RFC 4180 as written, BOM dropped, blank lines skipped)
 * to a row reader, each record with the physical line it starts on. Malformed CSV is reported once
 * per line and the record skipped; the rest of the file is still read. False when the file could
 * not be read to its end.
 */
async function streamCsv(
  handle: FileHandle,
  file: string,
  reader: RowReader<unknown>,
  issues: IssueCollector,
): Promise<boolean> {
  let header = true
  try {
    await readCsv(handle.createReadStream({ start: 0, highWaterMark: 1 << 20 }), {
      record: (cells, line) => {
        if (header) {
          header = false
          reader.header(cells, line)
        } else reader.row(cells, line)
      },
      error: (line, message) => issues.add(file, line, message),
      line: (text, start, end, line) => reader.fastRow?.(text, start, end, line) === true,
    })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).syscall === undefined) throw error
    issues.add(file, 0, `cannot read the file: ${describeFsError(error)}`)
    return false
  }
}

/** The line feeds in a file, read without moving its position: an upper bound of its rows. */
async function countLineFeeds(handle: FileHandle): Promise<number> {
  const buffer = Buffer.allocUnsafe(1 << 20)
  let count = 0
  for (let position = 0; ;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
    if (bytesRead === 0) return count
    position += bytesRead
    const bytes = buffer.subarray(0, bytesRead)
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) count++
  }
}

function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException
  if (e.code === 'ENOENT') return 'no such file'
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied'
  if (e.code === 'EISDIR') return 'it is a directory'
  return e.message
}
