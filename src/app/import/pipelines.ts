import { mapRows } from '../../core/imports/map-rows.ts'
import type { ImportKind, Mapping } from '../../core/imports/mapping.ts'
import { NO_REPS, type RepDirectory } from '../../core/imports/rep-directory.ts'
import { checkUnplannedQuotas } from '../../core/imports/check-unplanned-quotas.ts'
import type { RowReader } from '../../core/records/header.ts'
import type { IssueCollector } from '../../core/records/issues.ts'
import { readActivities } from '../../core/records/read-activities.ts'
import { readDeals } from '../../core/records/read-deals.ts'
import { readQuotas } from '../../core/records/read-quotas.ts'
import { readReps } from '../../core/records/read-reps.ts'
import type { ImportContext } from './load-import-context.ts'
import type { RecordSink } from './import-source.ts'

/** The first rows of a file as they will be stored: canonical header and cells. */
export interface PreviewRows {
  readonly header: readonly string[]
  readonly rows: readonly (readonly string[])[]
}

/** Canonical rows fanned out to several readers. */
function tee(readers: readonly RowReader<unknown>[]): RowReader<void> {
  return {
    header: (cells, line) => readers.forEach((r) => r.header(cells, line)),
    row: (cells, line) => readers.forEach((r) => r.row(cells, line)),
    finish: () => void readers.forEach((r) => r.finish()),
  }
}

/** The reader `calc` uses for this kind of file (with the plans and stored reps as context). */
function coreReaders(
  kind: ImportKind,
  file: string,
  issues: IssueCollector,
  context: ImportContext,
): RowReader<unknown>[] {
  const { reps, repIndex } = context.reps
  const withPlans = { reps, repIndex, plans: context.plans }
  if (kind === 'reps') return [readReps(file, issues)]
  if (kind === 'deals') return [readDeals(file, issues, withPlans)]
  if (kind === 'activities') return [readActivities(file, issues, repIndex)]
  return [readQuotas(file, issues, withPlans), checkUnplannedQuotas(file, issues, withPlans)]
}

/** Keeps the canonical header and the first `limit` rows. */
function previewReader(limit: number): RowReader<void> & { readonly rows: PreviewRows } {
  let header: readonly string[] = []
  const rows: string[][] = []
  return {
    header: (cells) => void (header = [...cells]),
    row: (cells) => void (rows.length < limit && rows.push([...cells])),
    finish: () => {},
    get rows() {
      return { header, rows }
    },
  }
}

/** An export through its mapping into canonical rows, or canonical rows as they are. */
export function throughMapping(
  mapping: Mapping | undefined,
  canonical: RowReader<unknown>,
  file: string,
  issues: IssueCollector,
  directory: RepDirectory = NO_REPS,
): RowReader<unknown> & { readonly skipped: number } {
  if (mapping === undefined) return Object.assign(canonical, { skipped: 0 })
  return mapRows(mapping, canonical, file, issues, directory)
}

/**
 * Refuses rows of reps outside `reps` (a manager imports only for the reps under them): the `rep`
 * column of deals (`r1` or shares `r1:60;r2:40`), activities and quotas.
 */
function scopeReader(file: string, issues: IssueCollector, reps: ReadonlySet<string>): RowReader<void> {
  let column = -1
  return {
    header: (cells) => void (column = cells.indexOf('rep')),
    row: (cells, line) => {
      const cell = column < 0 ? undefined : cells[column]
      if (cell === undefined) return
      for (const part of cell.split(';')) {
        const rep = (part.split(':')[0] ?? '').trim()
        if (rep !== '' && !reps.has(rep))
          issues.add(file, line, `rep ${rep} is not one of yours: you may import only for the reps under you`)
      }
    },
    finish: () => {},
  }
}

/**
 * Passes canonical rows on to `store` only while `issues` holds none: a row is checked first,
 * and rows of a file with problems are no longer stored (the import is rolled back anyway).
 */
function whileClean(store: RowReader<unknown>, issues: IssueCollector): RowReader<void> {
  return {
    header: (cells, line) => store.header(cells, line),
    row: (cells, line) => void (issues.count === 0 && store.row(cells, line)),
    finish: () => void (issues.count === 0 && store.finish()),
  }
}

/**
 * The check of a whole file, as `calc` checks it, keeping the first rows for a preview; each
 * canonical row that checks, while the file has shown no problem, also goes to `store`.
 */
export function checkingReader(
  kind: ImportKind,
  file: string,
  issues: IssueCollector,
  context: ImportContext,
  mapping: Mapping | undefined,
  previewLimit: number,
  onlyReps?: ReadonlySet<string>,
  store?: RowReader<unknown>,
): { reader: RowReader<unknown> & { readonly skipped: number }; preview: () => PreviewRows } {
  const preview = previewReader(previewLimit)
  const scope = onlyReps === undefined ? [] : [scopeReader(file, issues, onlyReps)]
  const stored = store === undefined ? [] : [whileClean(store, issues)]
  const canonical = tee([...coreReaders(kind, file, issues, context), ...scope, preview, ...stored])
  return {
    reader: throughMapping(mapping, canonical, file, issues, context.directory),
    preview: () => preview.rows,
  }
}

/** A sink feeding a row reader, the header first; malformed CSV reported at its line. */
export function sinkInto(
  reader: RowReader<unknown>,
  file: string,
  issues: IssueCollector,
  onFlush: (records: number, bytes: number) => Promise<void>,
): RecordSink {
  let records = 0
  return {
    record(cells, line) {
      if (records++ === 0) reader.header(cells, line)
      else reader.row(cells, line)
    },
    error: (line, message) => issues.add(file, line, message),
    flush: (bytes) => onFlush(records, bytes),
  }
}
