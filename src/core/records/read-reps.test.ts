import { describe, expect, it } from 'vitest'
import { epochDayOf } from '../calendar/civil.ts'
import type { RowReader } from './header.ts'
import { formatInputIssue, IssueCollector } from './issues.ts'
import { readReps } from './read-reps.ts'

const HEADER = ['id', 'name', 'manager', 'plan', 'hired_on', 'left_on']

/** Feeds records as a file would: the header on line 1, then one line each. */
function feed<T>(reader: RowReader<T>, records: string[][]): T {
  records.forEach((cells, i) => (i === 0 ? reader.header(cells, 1) : reader.row(cells, i + 1)))
  return reader.finish()
}

function problems(records: string[][]): string[] {
  const issues = new IssueCollector()
  feed(readReps('reps.csv', issues), records)
  return issues.list().map(formatInputIssue)
}

describe('readReps', () => {
  it('reads every rep with its fields when the header has odd case, spaces, a BOM and an extra column', () => {
    // Given
    const issues = new IssueCollector()
    const records = [
      ['\uFEFFID', ' Name ', 'MANAGER', 'Plan', 'hired_on', 'left_on', 'Deal Owner', 'team', 'email'],
      ['r1', ' Ann ', '', 'msp-ae', '2025-01-15', '', 'x', 'East', 'ann@example.com'],
      ['r2', 'Bob', 'r1', '', '', '2026-06-30', '', '', ''],
    ]
    // When
    const { reps, repIndex } = feed(readReps('reps.csv', issues), records)
    // Then
    expect(issues.count).toBe(0)
    expect(reps).toEqual([
      {
        id: 'r1',
        index: 0,
        name: 'Ann',
        email: 'ann@example.com',
        team: 'East',
        manager: null,
        plan: 'msp-ae',
        hiredOn: epochDayOf(2025, 1, 15),
        leftOn: null,
        fields: {
          id: 'r1',
          name: 'Ann',
          manager: '',
          plan: 'msp-ae',
          hired_on: '2025-01-15',
          left_on: '',
          'deal owner': 'x',
          team: 'East',
          email: 'ann@example.com',
        },
      },
      expect.objectContaining({
        id: 'r2',
        index: 1,
        manager: 'r1',
        plan: null,
        leftOn: epochDayOf(2026, 6, 30),
      }),
    ])
    expect([...repIndex]).toEqual([
      ['r1', 0],
      ['r2', 1],
    ])
  })

  it('reports the missing id column at line 1 when the header lacks it', () => {
    expect(problems([['name'], ['Ann']])).toEqual(['reps.csv:1: missing column "id"'])
  })

  it('reports an empty file at line 1 when there is no header', () => {
    expect(problems([])).toEqual(['reps.csv:1: empty file: expected a header row with id'])
  })

  it('reports an empty id when a row has none', () => {
    expect(problems([HEADER, ['', 'Ann', '', '', '', '']])).toEqual(['reps.csv:2: id is empty'])
  })

  it('reports a duplicate id with the line of the first when an id repeats', () => {
    expect(
      problems([HEADER, ['r1', '', '', '', '', ''], ['r2', '', '', '', '', ''], ['r1', '', '', '', '', '']]),
    ).toEqual(['reps.csv:4: duplicate id "r1" (also on line 2)'])
  })

  it('reports a bad date when hired_on is not YYYY-MM-DD', () => {
    expect(
      problems([
        HEADER,
        ['r1', '', '', '', '2026-02-30', ''],
        ['r2', '', '', '', '', '2026-01-05T00:00:00Z'],
      ]),
    ).toEqual([
      'reps.csv:2: hired_on "2026-02-30" is not a date (YYYY-MM-DD)',
      'reps.csv:3: left_on "2026-01-05T00:00:00Z" is not a date (YYYY-MM-DD)',
    ])
  })

  it('reports hired_on after left_on when the rep leaves before being hired', () => {
    expect(problems([HEADER, ['r1', '', '', '', '2026-05-01', '2026-04-30']])).toEqual([
      'reps.csv:2: hired_on 2026-05-01 is after left_on 2026-04-30',
    ])
  })

  it('accepts hired_on equal to left_on when the rep works one day', () => {
    expect(problems([HEADER, ['r1', '', '', '', '2026-05-01', '2026-05-01']])).toEqual([])
  })

  it('reports an unknown manager when the manager is not a rep', () => {
    expect(problems([HEADER, ['r1', '', 'r99', '', '', '']])).toEqual(['reps.csv:2: unknown manager "r99"'])
  })

  it('reports a manager cycle once at the line of its first rep when managers loop', () => {
    const records = [
      HEADER,
      ['r1', '', '', '', '', ''],
      ['r2', '', 'r1', '', '', ''],
      ['r5', '', 'r3', '', '', ''],
      ['r3', '', 'r5', '', '', ''],
      ['r4', '', 'r3', '', '', ''],
    ]
    expect(problems(records)).toEqual(['reps.csv:4: manager cycle: r5 → r3 → r5'])
  })

  it('reports a rep managing themself as a cycle', () => {
    expect(problems([HEADER, ['r3', '', 'r3', '', '', '']])).toEqual(['reps.csv:2: manager cycle: r3 → r3'])
  })

  it('reports every problem at once when several rows are bad', () => {
    const records = [
      HEADER,
      ['r1', '', 'r2', '', '2026-13-01', ''],
      ['r2', '', 'r1', '', '', ''],
      ['r2', '', '', '', '', ''],
      ['', '', 'nobody', '', '', ''],
    ]
    expect(problems(records)).toEqual([
      'reps.csv:2: hired_on "2026-13-01" is not a date (YYYY-MM-DD)',
      'reps.csv:2: manager cycle: r1 → r2 → r1',
      'reps.csv:4: duplicate id "r2" (also on line 3)',
      'reps.csv:5: id is empty',
    ])
  })
})
