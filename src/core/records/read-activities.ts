import { parseDateCell, quote } from './cells.ts'
import {
  ExtraColumnsBuilder,
  IdSet,
  Interner,
  LineIndex,
  StringColumn,
  float64Column,
  int32Column,
  pushDateCell,
  type NumberColumn,
} from './columns.ts'
import { cellAt, matchHeader, reportEmptyFile, type RowReader } from './header.ts'
import type { IssueCollector } from './issues.ts'
import type { ActivityTable } from './records.ts'

const KNOWN = ['id', 'rep', 'kind', 'occurred_on'] as const
const REQUIRED = KNOWN

/**
 * Reads activities.csv into an ActivityTable: unique non-empty ids, a known rep, a kind (free
 * text, interned) and occurred_on as a date or a date-time with an offset.
 */
export function readActivities(
  file: string,
  issues: IssueCollector,
  repIndex: ReadonlyMap<string, number>,
  expectedRows = 0,
): RowReader<ActivityTable> {
  return new ActivityReader(file, issues, repIndex, expectedRows)
}

type Columns = Record<(typeof KNOWN)[number], number>

// Like deals, the row path has no closures and looks column positions up once.
class ActivityReader implements RowReader<ActivityTable> {
  private at: Columns | null = null
  private line = 0
  private readonly ids: StringColumn
  private readonly idSet: IdSet
  private readonly lines = new LineIndex()
  private readonly rep: NumberColumn<Int32Array>
  private readonly kind: StringColumn
  private readonly kinds = new Interner()
  private readonly occurredDay: NumberColumn<Int32Array>
  private readonly occurredMs: NumberColumn<Float64Array>
  private extras = new ExtraColumnsBuilder([])

  constructor(
    private readonly file: string,
    private readonly issues: IssueCollector,
    private readonly repIndex: ReadonlyMap<string, number>,
    private readonly expected: number,
  ) {
    this.ids = new StringColumn(expected)
    this.idSet = new IdSet(this.ids.values, expected)
    this.rep = int32Column(expected)
    this.kind = new StringColumn(expected)
    this.occurredDay = int32Column(expected)
    this.occurredMs = float64Column(expected)
  }

  header(cells: readonly string[], line: number): void {
    const header = matchHeader(cells, line, KNOWN, REQUIRED, this.file, this.issues)
    this.at = Object.fromEntries(KNOWN.map((name) => [name, header.columns.get(name) ?? -1])) as Columns
    this.extras = new ExtraColumnsBuilder(header.extras, this.expected)
  }

  row(cells: readonly string[], line: number): void {
    const at = this.at
    if (at === null) return
    this.line = line

    const row = this.ids.length
    const id = cellAt(cells, at.id)
    this.ids.push(id)
    this.lines.push(row, line)
    if (at.id >= 0 && id === '') this.report('id is empty')
    if (id !== '') {
      const first = this.idSet.add(row)
      if (first >= 0) this.report(`duplicate id ${quote(id)} (also on line ${this.lines.lineOf(first)})`)
    }

    const repId = cellAt(cells, at.rep)
    const rep = this.repIndex.get(repId)
    if (at.rep >= 0 && rep === undefined)
      this.report(repId === '' ? 'rep is empty' : `unknown rep ${quote(repId)}`)
    this.rep.push(rep ?? -1)
    this.kind.push(this.kinds.get(cellAt(cells, at.kind)))

    const text = cellAt(cells, at.occurred_on)
    const occurred = text === '' ? 'occurred_on is empty' : parseDateCell('occurred_on', text)
    if (typeof occurred === 'string' && at.occurred_on >= 0) this.report(occurred)
    pushDateCell(this.occurredDay, this.occurredMs, typeof occurred === 'string' ? null : occurred)
    this.extras.push(cells)
  }

  finish(): ActivityTable {
    if (this.at === null) reportEmptyFile(this.file, REQUIRED, this.issues)
    return {
      length: this.ids.length,
      id: this.ids.take(),
      rep: this.rep.take(),
      kind: this.kind.take(),
      occurredDay: this.occurredDay.take(),
      occurredMs: this.occurredMs.take(),
      extras: this.extras.finish(),
    }
  }

  private report(message: string): void {
    this.issues.add(this.file, this.line, message)
  }
}

/** The table of a run without activities.csv. */
export function emptyActivities(): ActivityTable {
  return {
    length: 0,
    id: [],
    rep: new Int32Array(0),
    kind: [],
    occurredDay: new Int32Array(0),
    occurredMs: new Float64Array(0),
    extras: new Map(),
  }
}
