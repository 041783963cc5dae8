import { describe, expect, it } from 'vitest'
import { epochDayOf } from '../calendar/civil.ts'
import type { RowReader } from './header.ts'
import { formatInputIssue, IssueCollector } from './issues.ts'
import { emptyActivities, readActivities } from './read-activities.ts'

function feed<T>(reader: RowReader<T>, records: string[][]): T {
  records.forEach((cells, i) => (i === 0 ? reader.header(cells, 1) : reader.row(cells, i + 1)))
  return reader.finish()
}

const REP_INDEX = new Map([
  ['r1', 0],
  ['r2', 1],
])
const HEADER = ['id', 'rep', 'kind', 'occurred_on']

function read(records: string[][]) {
  const issues = new IssueCollector()
  const activities = feed(readActivities('activities.csv', issues, REP_INDEX), records)
  return { activities, problems: issues.list().map(formatInputIssue) }
}

describe('readActivities', () => {
  it('reads activities column-wise when the header has odd case, a BOM and an extra column', () => {
    const { activities, problems } = read([
      ['\uFEFFID', ' Rep', 'KIND ', 'Occurred_On', 'Minutes'],
      ['a1', 'r2', 'call', '2026-01-05', '15'],
      ['a2', 'r1', 'call', '2026-01-05T23:30:00-01:00', ''],
    ])
    expect(problems).toEqual([])
    expect(activities.length).toBe(2)
    expect(activities.id).toEqual(['a1', 'a2'])
    expect([...activities.rep]).toEqual([1, 0])
    expect(activities.kind).toEqual(['call', 'call'])
    expect([...activities.occurredDay]).toEqual([epochDayOf(2026, 1, 5), epochDayOf(2026, 1, 6)])
    expect([...activities.occurredMs]).toEqual([NaN, Date.UTC(2026, 0, 6, 0, 30)])
    expect(activities.extras.get('minutes')).toEqual({ numeric: true, scale: 0, values: ['15', ''] })
  })

  it.each([
    { cells: ['', 'r1', 'call', '2026-01-05'], problem: 'id is empty' },
    { cells: ['a1', 'r9', 'call', '2026-01-05'], problem: 'unknown rep "r9"' },
    { cells: ['a1', '', 'call', '2026-01-05'], problem: 'rep is empty' },
    { cells: ['a1', 'r1', 'call', ''], problem: 'occurred_on is empty' },
    {
      cells: ['a1', 'r1', 'call', '05/01/2026'],
      problem: 'occurred_on "05/01/2026" is not a date (YYYY-MM-DD) or a date-time with an offset',
    },
    {
      cells: ['a1', 'r1', 'call', '2026-01-05 09:00'],
      problem: 'occurred_on "2026-01-05 09:00" is a date-time without an offset',
    },
  ])('reports "$problem" when a cell is bad', ({ cells, problem }) => {
    expect(read([HEADER, cells]).problems).toEqual([`activities.csv:2: ${problem}`])
  })

  it('reports a duplicate id with the line of the first when an id repeats', () => {
    const { problems } = read([
      HEADER,
      ['a1', 'r1', 'call', '2026-01-05'],
      ['a1', 'r2', 'call', '2026-01-06'],
    ])
    expect(problems).toEqual(['activities.csv:3: duplicate id "a1" (also on line 2)'])
  })

  it('reports missing columns at line 1 when the header lacks them', () => {
    expect(
      read([
        ['id', 'rep'],
        ['a1', 'r1'],
      ]).problems,
    ).toEqual(['activities.csv:1: missing column "kind"', 'activities.csv:1: missing column "occurred_on"'])
  })
})

describe('emptyActivities', () => {
  it('has no rows when there is no activities file', () => {
    expect(emptyActivities().length).toBe(0)
  })
})
