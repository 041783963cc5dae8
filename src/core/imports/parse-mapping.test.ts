import { describe, expect, it } from 'vitest'
import { parseMapping } from './parse-mapping.ts'

const problems = (yaml: string): string[] =>
  parseMapping(yaml, 'm.yaml').issues.map((i) => `${i.line}:${i.column}: ${i.message}`)

describe('parseMapping', () => {
  it('reads a mapping whole: filters, rules in order, splits', () => {
    const { mapping, issues } = parseMapping(
      `name: sf
kind: deals
where:
  - { column: Stage, in: [Closed Won], optional: true }
columns:
  id: Opportunity ID
  rep: { from: Split Owner, rep: name }
  closed_on: { from: Close Date, date: M/D/YYYY }
  source: { value: salesforce }
splits: { percent: Split Percent }
`,
      'sf.yaml',
    )
    expect(issues).toEqual([])
    expect(mapping).toMatchObject({
      name: 'sf',
      kind: 'deals',
      where: [{ column: ['Stage'], optional: true, in: ['Closed Won'], notIn: null }],
      columns: [
        { to: 'id', from: ['Opportunity ID'] },
        { to: 'rep', from: ['Split Owner'], rep: ['name'] },
        { to: 'closed_on', date: { timezone: null, offset: null, dropTime: false } },
        { to: 'source', from: null, value: 'salesforce' },
      ],
      splits: { percent: 'Split Percent' },
    })
  })

  it('names the file when the mapping has no name', () => {
    expect(
      parseMapping('kind: quotas\ncolumns: { rep: a, period: b, metric: c, amount: d }', 'q.yaml', 'q')
        .mapping?.name,
    ).toBe('q')
  })

  it('reports every problem with its line and column', () => {
    expect(
      problems(`kind: deal
columns:
  id: X
  Rep: Y
  closed_on: { from: D, date: "M/D/YYYY h:mm a", timezon: UTC }
  amount: { from: A, value: "1" }
where:
  - { column: S }
splits: { percent: P }
`),
    ).toEqual([
      '1:7: "kind" of the mapping must be reps, deals, activities or quotas, not "deal"; did you mean "deals"?',
      '4:3: column "Rep" must be a lower-case name such as closed_on or region',
      '5:31: date format "M/D/YYYY h:mm a" of column closed_on reads a time without an offset: say which zone it is in (timezone: America/Chicago, or offset: -05:00), or drop_time: true to keep the date only',
      '5:50: unknown key "timezon" in column closed_on; did you mean "timezone"? (allowed: from, optional, value, default, values, unmapped, date, timezone, offset, drop_time, money, rep, prefix)',
      '6:11: column amount needs either "from" (an export column) or "value" (a constant), not both',
      '8:5: a filter needs "in" or "not_in": the values a row must have, or must not have',
      '9:1: "splits" needs id and rep read from export columns (with from): rows are grouped by id, each crediting its rep',
    ])
  })

  it('requires the columns a kind cannot do without', () => {
    expect(problems('kind: deals\ncolumns:\n  id: X\n  rep: Y\n')).toEqual([
      '3:3: the columns of a deals mapping must include closed_on',
    ])
  })

  it('refuses splits outside deals, a bad time zone or offset, and a format without a day', () => {
    expect(
      problems(`kind: activities
columns:
  id: A
  rep: B
  kind: C
  occurred_on: { from: D, date: YYYY-MM, timezone: Mars/Olympus }
  x: { from: E, date: M/D/YYYY H:mm, offset: "5" }
splits: { percent: P }
`),
    ).toEqual([
      '6:33: date format "YYYY-MM" needs a year (YYYY), a month (MM or M) and a day (DD or D)',
      '6:52: unknown time zone "Mars/Olympus": write an IANA name such as America/Chicago or UTC',
      '7:46: offset "5" of column x must be like -05:00, +01:00 or Z',
      '8:1: "splits" is for deals, not activities',
    ])
  })

  it('reports invalid YAML at its position', () => {
    expect(problems('kind: deals\ncolumns: [\n')[0]).toMatch(/^3:1: invalid YAML: Flow sequence/)
  })
})
