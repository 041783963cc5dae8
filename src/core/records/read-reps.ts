import { formatLocalDate } from '../calendar/civil.ts'
import { parseDayCell, quote } from './cells.ts'
import { cellAt, matchHeader, reportEmptyFile, type Header, type RowReader } from './header.ts'
import type { IssueCollector } from './issues.ts'
import type { Rep } from './records.ts'

const KNOWN = ['id', 'name', 'email', 'manager', 'team', 'plan', 'hired_on', 'left_on']
const REQUIRED = ['id']

/** reps.csv as read: every rep with a usable id, by position, and the index of their ids. */
export interface RepsRead {
  readonly reps: readonly Rep[]
  readonly repIndex: ReadonlyMap<string, number>
}

/**
 * Reads reps.csv: ids unique and non-empty, dates 'YYYY-MM-DD' with hired_on not after left_on,
 * managers known reps without cycles (checked at `finish`, a manager may come later in the file).
 */
export function readReps(file: string, issues: IssueCollector): RowReader<RepsRead> {
  let header: Header | null = null
  const col = (name: string): number => header?.columns.get(name) ?? -1
  const reps: Rep[] = []
  const lines: number[] = []
  const repIndex = new Map<string, number>()

  return {
    header(cells, line) {
      header = matchHeader(cells, line, KNOWN, REQUIRED, file, issues)
    },

    row(cells, line) {
      if (header === null) return
      const report = (message: string): void => issues.add(file, line, message)
      const id = cellAt(cells, col('id'))
      if (col('id') >= 0 && id === '') report('id is empty')
      const hiredOn = readDay('hired_on')
      const leftOn = readDay('left_on')
      if (hiredOn !== null && leftOn !== null && hiredOn > leftOn) {
        report(`hired_on ${formatLocalDate(hiredOn)} is after left_on ${formatLocalDate(leftOn)}`)
      }
      if (id === '') return
      const first = repIndex.get(id)
      if (first !== undefined) {
        report(`duplicate id ${quote(id)} (also on line ${lines[first]})`)
        return
      }
      const fields = Object.fromEntries(
        header.names.flatMap((name, i) => (name === '' ? [] : [[name, cellAt(cells, i)] as const])),
      )
      const optional = (name: string): string | null => cellAt(cells, col(name)) || null
      repIndex.set(id, reps.length)
      lines.push(line)
      reps.push({
        id,
        index: reps.length,
        name: cellAt(cells, col('name')),
        email: cellAt(cells, col('email')),
        team: cellAt(cells, col('team')),
        manager: optional('manager'),
        plan: optional('plan'),
        hiredOn,
        leftOn,
        fields,
      })

      function readDay(name: string): number | null {
        const text = cellAt(cells, col(name))
        if (text === '') return null
        const day = parseDayCell(name, text)
        if (typeof day === 'string') {
          report(day)
          return null
        }
        return day
      }
    },

    finish() {
      if (header === null) reportEmptyFile(file, REQUIRED, issues)
      checkManagers(reps, repIndex, lines, file, issues)
      return { reps, repIndex }
    },
  }
}

/** Reports unknown managers, then each manager cycle once, at the line of its first rep in the file. */
function checkManagers(
  reps: readonly Rep[],
  repIndex: ReadonlyMap<string, number>,
  lines: readonly number[],
  file: string,
  issues: IssueCollector,
): void {
  const managerOf = reps.map((rep, i) => {
    if (rep.manager === null) return -1
    const m = repIndex.get(rep.manager)
    if (m === undefined) issues.add(file, lines[i] ?? 0, `unknown manager ${quote(rep.manager)}`)
    return m ?? -1
  })
  // Each rep has at most one manager: walk up from every rep, numbering the walks; reaching a
  // rep of the current walk again closes a cycle, reaching one of an earlier walk does not.
  const walkOf = new Int32Array(reps.length)
  for (let start = 0; start < reps.length; start++) {
    let r = start
    while (r >= 0 && walkOf[r] === 0) {
      walkOf[r] = start + 1
      r = managerOf[r] ?? -1
    }
    if (r < 0 || walkOf[r] !== start + 1) continue
    const cycle = [r]
    for (let m = managerOf[r] ?? -1; m !== r && m >= 0; m = managerOf[m] ?? -1) cycle.push(m)
    // Start from the rep met first in the file (reps are in file order).
    const first = cycle.indexOf(Math.min(...cycle))
    const ordered = [...cycle.slice(first), ...cycle.slice(0, first)]
    const path = [...ordered, ordered[0] as number].map((i) => reps[i]?.id).join(' → ')
    issues.add(file, lines[ordered[0] as number] ?? 0, `manager cycle: ${path}`)
  }
}
