import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RowReader } from '../records/header.ts'
import { IssueCollector } from '../records/issues.ts'
import { cleanMoney } from './clean-money.ts'
import { mapRows } from './map-rows.ts'
import type { Mapping } from './mapping.ts'
import { parseMapping } from './parse-mapping.ts'
import { repDirectory } from './rep-directory.ts'

const splits = parseMapping(
  `
kind: deals
where: [{ column: Split Type, in: [Revenue] }]
columns:
  id: Opportunity ID
  rep: { from: Split Owner, rep: [name] }
  closed_on: { from: Close Date, date: M/D/YYYY }
  amount: { from: Amount, money: { symbols: [$], thousands: "," } }
splits: { percent: Split Percent }
`,
  'sf.yaml',
).mapping as Mapping

const reps = repDirectory([
  { id: 'r1', email: '', name: 'Ana' },
  { id: 'r2', email: '', name: 'Ben' },
  { id: 'r3', email: '', name: 'Cy' },
])

/** A reader that records what it is fed. */
function recorder(): RowReader<string[]> & { header: RowReader<unknown>['header'] } {
  const seen: string[] = []
  return {
    header: (cells, line) => void seen.push(`${line}: ${cells.join(',')}`),
    row: (cells, line) => void seen.push(`${line}: ${cells.join(',')}`),
    finish: () => seen,
  }
}

function feed(mapping: Mapping, rows: string[][]): { seen: string[]; issues: string[]; skipped: number } {
  const issues = new IssueCollector()
  const reader = mapRows(mapping, recorder(), 'sf.csv', issues, reps)
  rows.forEach((cells, i) => (i === 0 ? reader.header(cells, 1) : reader.row(cells, i + 1)))
  const seen = reader.finish()
  return { seen, issues: issues.list().map((i) => `${i.line}: ${i.message}`), skipped: reader.skipped }
}

const HEADER = ['Opportunity ID', 'Split Owner', 'Split Percent', 'Split Type', 'Close Date', 'Amount']

describe('mapRows with splits', () => {
  it('groups the split rows of an opportunity into one deal at the line of its first row', () => {
    const out = feed(splits, [
      HEADER,
      ['006A', 'Ana', '60.00%', 'Revenue', '1/14/2026', '$24,000.00'],
      ['006B', 'Cy', '100%', 'Revenue', '1/20/2026', '$500.00'],
      ['006A', 'Ben', '40.00%', 'Revenue', '1/14/2026', '$24,000.00'],
      ['006A', 'Cy', '100.00%', 'Overlay', '1/14/2026', '$24,000.00'],
    ])
    expect(out).toEqual({
      seen: [
        '1: id,rep,closed_on,amount',
        '2: 006A,r1:60;r2:40,2026-01-14,24000.00',
        '3: 006B,r3:100,2026-01-20,500.00',
      ],
      issues: [],
      skipped: 1,
    })
  })

  it('reports a split row that disagrees with the first row of its deal, and a bad percent', () => {
    const out = feed(splits, [
      HEADER,
      ['006A', 'Ana', '60%', 'Revenue', '1/14/2026', '$24,000.00'],
      ['006A', 'Ben', '40%', 'Revenue', '1/15/2026', '$24,000.00'],
      ['006A', 'Cy', 'n/a', 'Revenue', '1/14/2026', '$24,000.00'],
    ])
    expect(out.issues).toEqual([
      '3: Close Date "2026-01-15" differs from "2026-01-14" on line 2, a split of the same deal',
      '4: Split Percent "n/a" is not a percent',
    ])
  })

  it('drops 0% splits, and reports a deal whose every split is 0%', () => {
    const out = feed(splits, [
      HEADER,
      ['006A', 'Ana', '100%', 'Revenue', '1/14/2026', '1'],
      ['006A', 'Ben', '0.00%', 'Revenue', '1/14/2026', '1'],
      ['006C', 'Ben', '0%', 'Revenue', '1/14/2026', '1'],
    ])
    expect(out.seen).toContain('2: 006A,r1:100,2026-01-14,1')
    expect(out.issues).toEqual(['4: every split of this deal is 0%'])
  })

  it('withholds rows with problems and reports a missing column at the header', () => {
    const out = feed(splits, [HEADER.slice(0, 5), ['006A', 'Ana', '60%', 'Revenue', '1/14/2026']])
    expect(out.issues).toEqual(['1: missing column "Amount" (read into amount, mapping sf.yaml)'])
    expect(out.seen).toEqual(['1: id,rep,closed_on,amount'])
  })
})

describe('cleanMoney', () => {
  const us = { symbols: ['$', 'USD'], thousands: ',', decimal: '.' }
  const eu = { symbols: ['€'], thousands: '.', decimal: ',' }

  it.each([
    { text: '$12,500.00', rule: us, want: '12500.00' },
    { text: 'USD 1,234,567.5', rule: us, want: '1234567.5' },
    { text: '-$40.00', rule: us, want: '-40.00' },
    { text: '1.234,50 €', rule: eu, want: '1234.50' },
    { text: '12,50', rule: us, want: null },
    { text: '1,2345.00', rule: us, want: null },
  ])('makes $text $want', ({ text, rule, want }) => {
    expect(cleanMoney(text, rule)).toBe(want)
  })

  it('undoes US formatting of any amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (minor) => {
        const plain = `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`
        const grouped = `$${(minor / 100n).toLocaleString('en-US')}.${String(minor % 100n).padStart(2, '0')}`
        expect(cleanMoney(grouped, us)).toBe(plain)
      }),
    )
  })
})
