import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Plan } from '../plans/plan.ts'
import { IssueCollector } from './issues.ts'
import { readDeals } from './read-deals.ts'
import { readReps } from './read-reps.ts'
import { isTrimmed, NOT_PLAIN, spanDay, spanDecimal } from './spans.ts'

// The deals reader's fast path (fastRow, ADR 0008) must store and report exactly what `row`
// stores and reports for the same line, whatever the line: plain cells, and every near miss.

function plan(digits: number): Plan {
  return {
    id: 'p',
    name: 'p',
    file: 'p.yaml',
    currency: { code: digits === 0 ? 'JPY' : 'USD', digits },
    period: 'month',
    timezone: 'America/Chicago',
    effective: {},
    metrics: [],
    quotas: new Map(),
    ramp: [],
    prorate: false,
    commissions: [],
    spiffs: [],
    draw: null,
    rules: [],
  }
}

const HEADER = 'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on'

function read(lines: readonly string[], fast: boolean, digits: number, header = HEADER) {
  const issues = new IssueCollector(1000)
  const plans = [plan(digits)]
  const repsReader = readReps('reps.csv', issues)
  repsReader.header(['id', 'plan'], 1)
  ;['r1', 'r2', 'r3', 'r10'].forEach((id, i) => repsReader.row([id, 'p'], i + 2))
  const { reps, repIndex } = repsReader.finish()
  const reader = readDeals('deals.csv', issues, { reps, repIndex, plans }, fast ? 0 : lines.length)
  reader.header(header.split(','), 1)
  let taken = 0
  lines.forEach((text, i) => {
    const padded = `##${text}##`
    if (fast && reader.fastRow?.(padded, 2, padded.length - 2, i + 2) === true) taken++
    else reader.row(text.split(','), i + 2)
  })
  const table = reader.finish()
  return { table: { ...table, extras: [...table.extras] }, issues: issues.list(), more: issues.more, taken }
}

const pick = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values)
const date = pick(
  '2026-01-31',
  '2026-02-29',
  '2024-02-29',
  '2026-12-01',
  '1969-12-31',
  '0000-01-01',
  '2026-1-01',
  '2026-13-01',
  '2026-01-00',
  '2026-01-05T10:00:00Z',
  '2026-01-05T23:30:00-06:00',
  '2026/01/05',
  ' 2026-01-05',
  '',
)
const money = pick(
  '',
  '0',
  '12',
  '12.5',
  '12.50',
  '12.505',
  '-0',
  '-1',
  '+3',
  '.5',
  '5.',
  '1e3',
  ' 7',
  '007.10',
)
const hugeMoney = pick('999999999999999', '9999999999999.99', '90071992547409.93', '123456789012.34')
const share = pick(
  'r1',
  'r2',
  'r10',
  'r1:100',
  'r1:60;r2:40',
  'r1:33.33;r2:33.33;r3:33.34',
  'r1:33.333;r2:66.667',
  'r1:50.00005;r2:49.99995',
  'r1:60;r1:40',
  'r1:60;r9:40',
  'r1:60;r2:30',
  'r1:0;r2:100',
  'r1;r2',
  'r1:60;',
  ';r1:100',
  'r1 : 100',
  'r1:60; r2:40',
  'r9',
  '',
  ' r1',
)
const line = fc
  .record({
    id: pick('D1', 'D2', 'D3', '', ' D4', 'D1'),
    rep: share,
    closed: date,
    type: pick('managed', 'project', '', ' hardware', 'hardware '),
    customer: pick('Acme', 'Ünïcode GmbH', 'Heartland Realty', '', ' Acme'),
    mrr: fc.oneof(money, hugeMoney),
    term: pick('', '12', '036', '1.5', '-1', '1234567890123456'),
    amount: money,
    cancelled: fc.oneof(date, pick('', '', '')),
    extra: pick('', '', '', '', ',x'),
  })
  .map(
    (r) =>
      [r.id, r.rep, r.closed, r.type, r.customer, r.mrr, r.term, r.amount, r.cancelled].join(',') + r.extra,
  )

describe('the deals fast path', () => {
  it('stores and reports exactly what the ordinary path does, for any line', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), pick(0, 2, 3), (lines, digits) => {
        expect(read(lines, true, digits)).toEqual({
          ...read(lines, false, digits),
          taken: expect.any(Number),
        })
      }),
      { numRuns: 400 },
    )
  })

  it('takes the plain lines, and leaves a header with other columns to the ordinary path', () => {
    const lines = ['D1,r1:60;r2:40,2026-01-05,managed,Acme,12.50,36,,', 'D2,r1,2026-01-05T10:00:00Z,,,,,,']
    expect(read(lines, true, 2).taken).toBe(1)
    const header = 'id,rep,closed_on,region'
    expect(read(['D1,r1,2026-01-05,west'], true, 2, header).taken).toBe(0)
  })

  it('reads spans as the cell readers do', () => {
    expect(spanDay('x2026-02-28x', 1, 11)).toBe(20512)
    expect(spanDay('2026-02-29', 0, 10)).toBe(NOT_PLAIN)
    expect(spanDecimal('12.5', 0, 4, 2)).toBe(1250)
    expect(spanDecimal('12.5', 0, 4, 0)).toBe(NOT_PLAIN)
    expect(isTrimmed(' a', 0, 2)).toBe(false)
  })
})
