import { parseDateCell, quote } from './cells.ts'
import { ExtraColumnsBuilder, IdSet, Interner, float64Column, int32Column } from './columns.ts'
import { cellAt, matchHeader, reportEmptyFile, type Header, type RowReader } from './header.ts'
import type { IssueCollector } from './issues.ts'
import { NO_DAY, type ActivityTable } from './records.ts'

const KNOWN = ['id', 'rep', 'kind', 'occurred_on']
const REQUIRED = KNOWN
const MS_PER_DAY = 86_400_000

/**
 * Reads activities.csv into an ActivityTable: unique non-empty ids, a known rep, a kind (free
 * text, interned) and occurred_on as a date or a date-time with an offset.
 */
export function readActivities(
  file: string,
  issues: IssueCollector,
  repIndex: ReadonlyMap<string, number>,
): RowReader<ActivityTable> {
  let header: Header | null = null
  const col = (name: string): number => header?.columns.get(name) ?? -1
  const ids: string[] = []
  const idSet = new IdSet(ids)
  const lines = int32Column()
  const rep = int32Column()
  const kind: string[] = []
  const kinds = new Interner()
  const occurredDay = int32Column()
  const occurredMs = float64Column()
  let extras = new ExtraColumnsBuilder([])

  return {
    header(cells, line) {
      header = matchHeader(cells, line, KNOWN, REQUIRED, file, issues)
      extras = new ExtraColumnsBuilder(header.extras)
    },

    row(cells, line) {
      if (header === null) return
      const report = (message: string): void => issues.add(file, line, message)
      const cell = (name: string): string => cellAt(cells, col(name))

      const row = ids.length
      const id = cell('id')
      ids.push(id)
      lines.push(line)
      if (col('id') >= 0 && id === '') report('id is empty')
      if (id !== '') {
        const first = idSet.add(row)
        if (first >= 0) report(`duplicate id ${quote(id)} (also on line ${lines.at(first)})`)
      }

      const repId = cell('rep')
      const index = repIndex.get(repId)
      if (col('rep') >= 0 && index === undefined)
        report(repId === '' ? 'rep is empty' : `unknown rep ${quote(repId)}`)
      rep.push(index ?? -1)
      kind.push(kinds.get(cell('kind')))

      const text = cell('occurred_on')
      const occurred = text === '' ? 'occurred_on is empty' : parseDateCell('occurred_on', text)
      if (typeof occurred === 'string') {
        if (col('occurred_on') >= 0) report(occurred)
        occurredDay.push(NO_DAY)
        occurredMs.push(NaN)
      } else if (occurred.ms === undefined) {
        occurredDay.push(occurred.day)
        occurredMs.push(NaN)
      } else {
        occurredDay.push(Math.floor(occurred.ms / MS_PER_DAY))
        occurredMs.push(occurred.ms)
      }
      extras.push(cells)
    },

    finish() {
      if (header === null) reportEmptyFile(file, REQUIRED, issues)
      return {
        length: ids.length,
        id: ids,
        rep: rep.take(),
        kind,
        occurredDay: occurredDay.take(),
        occurredMs: occurredMs.take(),
        extras: extras.finish(),
      }
    },
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
