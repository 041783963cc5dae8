import type { IssueCollector } from './issues.ts'

/**
 * A reader of one CSV file fed record by record: `header` once with the first record, `row` for
 * each following one, then `finish`. `line` is the physical line the record starts on (the
 * header is line 1). Problems go to the reader's IssueCollector; `finish` returns what was read,
 * meaningful only when no issue was found.
 */
export interface RowReader<T> {
  header(cells: readonly string[], line: number): void
  row(cells: readonly string[], line: number): void
  /**
   * Optional fast path (ADR 0008): a record on one line without quotes, as the span [start, end)
   * of `text`. True when the reader took the row; false to receive it through `row` instead.
   */
  fastRow?(text: string, start: number, end: number, line: number): boolean
  finish(): T
}

/** A column the spec does not name: its lower-cased header and its position in a record. */
export interface ExtraHeader {
  readonly name: string
  readonly index: number
}

/** A matched header row. */
export interface Header {
  /** The position of each named column that is present. */
  readonly columns: ReadonlyMap<string, number>
  /** Every named column by its lower-cased header, in file order. */
  readonly names: readonly string[]
  /** Columns not among the known ones, with a non-empty name. */
  readonly extras: readonly ExtraHeader[]
}

/** A header cell as matched: BOM dropped, trimmed, lower-cased. */
function normalizeHeaderCell(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).trim().toLowerCase()
}

/**
 * Matches a header row against the known column names (case-insensitive after trimming, a BOM
 * accepted); reports each missing required column and each name used twice at `line`. Columns
 * with an empty name are ignored.
 */
export function matchHeader(
  cells: readonly string[],
  line: number,
  known: readonly string[],
  required: readonly string[],
  file: string,
  issues: IssueCollector,
): Header {
  const names = cells.map(normalizeHeaderCell)
  const columns = new Map<string, number>()
  const extras: ExtraHeader[] = []
  const seen = new Set<string>()
  names.forEach((name, index) => {
    if (name === '') return
    if (seen.has(name)) {
      issues.add(file, line, `duplicate column ${JSON.stringify(name)}`)
      return
    }
    seen.add(name)
    if (known.includes(name)) columns.set(name, index)
    else extras.push({ name, index })
  })
  for (const name of required) {
    if (!columns.has(name)) issues.add(file, line, `missing column ${JSON.stringify(name)}`)
  }
  return { columns, names, extras }
}

/** The trimmed cell at `index`; '' when the column is absent (index -1) or the record is short. */
export function cellAt(cells: readonly string[], index: number): string {
  if (index < 0) return ''
  const text = cells[index]
  return text === undefined ? '' : text.trim()
}

/** Reported by `finish` when a file holds no record at all. */
export function reportEmptyFile(file: string, required: readonly string[], issues: IssueCollector): void {
  issues.add(file, 1, `empty file: expected a header row with ${required.join(', ')}`)
}
