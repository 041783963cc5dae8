import { describe, expect, it } from 'vitest'
import { epochDayOf } from '../calendar/civil.ts'
import type { Plan } from '../plans/plan.ts'
import type { RowReader } from './header.ts'
import { formatInputIssue, IssueCollector } from './issues.ts'
import { readDeals } from './read-deals.ts'
import { readReps } from './read-reps.ts'
import { NO_DAY } from './records.ts'
import { testMetric as metric, testPlan as plan } from '../../../test/support/plan-fixture.ts'

function feed<T>(reader: RowReader<T>, records: string[][]): T {
  records.forEach((cells, i) => (i === 0 ? reader.header(cells, 1) : reader.row(cells, i + 1)))
  return reader.finish()
}

// r1 on a plan in Auckland, r2 on a UTC plan, r3 on no plan.
const REPS = [
  ['id', 'plan'],
  ['r1', 'nz'],
  ['r2', 'utc'],
  ['r3', ''],
]
const PLANS = [plan('nz', { timezone: 'Pacific/Auckland' }), plan('utc')]
const HEADER = ['id', 'rep', 'closed_on', 'amount', 'mrr', 'term_months', 'cancelled_on']

function read(records: string[][], plans: readonly Plan[] = PLANS) {
  const issues = new IssueCollector()
  const { reps, repIndex } = feed(readReps('reps.csv', issues), REPS)
  const deals = feed(readDeals('deals.csv', issues, { reps, repIndex, plans }), records)
  return { deals, problems: issues.list().map(formatInputIssue) }
}

/** The problems of one deal row under HEADER. */
const problemsOf = (row: string[], plans?: readonly Plan[]): string[] => read([HEADER, row], plans).problems

describe('readDeals', () => {
  it('reads deals column-wise when the header has odd case, spaces, a BOM and extra columns', () => {
    // Given
    const records = [
      [
        '\uFEFF Id',
        'REP',
        'Closed_On',
        'amount',
        'MRR',
        'type',
        'customer',
        'term_months',
        'cancelled_on',
        'Seats',
        'Region',
      ],
      ['d1', 'r1', '2026-01-05', '1234.50', '', 'managed', 'Acme', '36', '', '12', 'EMEA'],
      [
        'd2',
        'r1:33.33;r2:33.33;r3:33.34',
        '2026-01-05T10:00:00+02:00',
        '',
        '99.9',
        'managed',
        '',
        '',
        '2026-02-01',
        '2.5',
        '',
      ],
    ]
    // When
    const { deals, problems } = read(records)
    // Then
    expect(problems).toEqual([])
    expect(deals.length).toBe(2)
    expect(deals.id).toEqual(['d1', 'd2'])
    expect([...deals.closedDay]).toEqual([epochDayOf(2026, 1, 5), epochDayOf(2026, 1, 5)])
    expect([...deals.closedMs]).toEqual([NaN, Date.UTC(2026, 0, 5, 8)])
    expect([...deals.cancelledDay]).toEqual([NO_DAY, epochDayOf(2026, 2, 1)])
    expect([...deals.cancelledMs]).toEqual([NaN, NaN])
    expect([...deals.amountMinor]).toEqual([123450, 0])
    expect([...deals.mrrMinor]).toEqual([0, 9990])
    expect([...deals.termMonths]).toEqual([36, NaN])
    expect(deals.type).toEqual(['managed', 'managed'])
    expect(deals.type[0]).toBe(deals.type[1])
    expect(deals.customer).toEqual(['Acme', ''])
    // 33.33 + 33.33 + 33.34 = 100, in millionths exactly
    expect([...deals.shareStart]).toEqual([0, 1, 4])
    expect([...deals.shareRep]).toEqual([0, 0, 1, 2])
    expect([...deals.shareMicro]).toEqual([1_000_000, 333_300, 333_300, 333_400])
    expect(deals.extras.get('seats')).toEqual({ numeric: true, scale: 1, values: ['12', '2.5'] })
    expect(deals.extras.get('region')).toEqual({ numeric: false, scale: 0, values: ['EMEA', ''] })
  })

  it('reads an empty table when the file has only a header', () => {
    const { deals, problems } = read([HEADER])
    expect(problems).toEqual([])
    expect(deals.length).toBe(0)
    expect([...deals.shareStart]).toEqual([0])
  })

  it('reports each missing required column at line 1 when the header lacks them', () => {
    expect(
      read([
        ['id', 'amount'],
        ['d1', '5'],
      ]).problems,
    ).toEqual(['deals.csv:1: missing column "rep"', 'deals.csv:1: missing column "closed_on"'])
  })

  it('reports a duplicate id with the line of the first when an id repeats', () => {
    const { problems } = read([
      HEADER,
      ['d1', 'r1', '2026-01-05', '', '', '', ''],
      ['d1', 'r2', '2026-01-05', '', '', '', ''],
    ])
    expect(problems).toEqual(['deals.csv:3: duplicate id "d1" (also on line 2)'])
  })

  it.each([
    { cells: ['', 'r1', '2026-01-05'], problem: 'id is empty' },
    { cells: ['d1', 'r99', '2026-01-05'], problem: 'unknown rep "r99"' },
    { cells: ['d1', 'r1:60;r99:40', '2026-01-05'], problem: 'unknown rep "r99"' },
    { cells: ['d1', '', '2026-01-05'], problem: 'rep is empty' },
    { cells: ['d1', 'r1:60;r2:39.99', '2026-01-05'], problem: 'shares add up to 99.99, not 100' },
    { cells: ['d1', 'r1:60;r2:50', '2026-01-05'], problem: 'shares add up to 110, not 100' },
    { cells: ['d1', 'r1:50;r1:50', '2026-01-05'], problem: 'rep "r1" has two shares in one deal' },
    { cells: ['d1', 'r1:60;r2:x', '2026-01-05'], problem: 'share "r2:x" is not REP:PERCENT' },
    { cells: ['d1', 'r1;r2:40', '2026-01-05'], problem: 'share "r1" is not REP:PERCENT' },
    { cells: ['d1', 'r1:-10;r2:110', '2026-01-05'], problem: 'share "r1:-10" is not REP:PERCENT' },
    { cells: ['d1', 'r1:100;', '2026-01-05'], problem: 'empty share in "r1:100;"' },
    { cells: ['d1', 'r1:100;r2:0', '2026-01-05'], problem: 'share "r2:0" is 0' },
    {
      cells: ['d1', 'r1:33.33333;r2:66.6667', '2026-01-05'],
      problem: 'share "r1:33.33333" has more than 4 decimals',
    },
    { cells: ['d1', 'r1', ''], problem: 'closed_on is empty' },
    {
      cells: ['d1', 'r1', '2026-02-30'],
      problem: 'closed_on "2026-02-30" is not a date (YYYY-MM-DD) or a date-time with an offset',
    },
    {
      cells: ['d1', 'r1', '2026-01-05T10:00:00'],
      problem: 'closed_on "2026-01-05T10:00:00" is a date-time without an offset',
    },
    { cells: ['d1', 'r1', '2026-01-05', '-5.00'], problem: 'amount -5.00 is negative' },
    { cells: ['d1', 'r1', '2026-01-05', '1,234.50'], problem: 'amount "1,234.50" is not an amount' },
    { cells: ['d1', 'r1', '2026-01-05', '$5'], problem: 'amount "$5" is not an amount' },
    {
      cells: ['d1', 'r1', '2026-01-05', '', '12.345'],
      problem: 'mrr "12.345" has more than the 2 decimals of USD',
    },
    {
      cells: ['d1', 'r1', '2026-01-05', '90071992547409.92'],
      problem: 'amount "90071992547409.92" is too large',
    },
    {
      cells: ['d1', 'r1', '2026-01-05', '', '', '12.5'],
      problem: 'term_months "12.5" is not a whole number',
    },
    {
      cells: ['d1', 'r1', '2026-01-05', '', '', '', 'soon'],
      problem: 'cancelled_on "soon" is not a date (YYYY-MM-DD) or a date-time with an offset',
    },
  ])('reports "$problem" when a cell is bad', ({ cells, problem }) => {
    const row = [...cells, '', '', '', '', '', '', ''].slice(0, HEADER.length)
    expect(problemsOf(row)).toEqual([`deals.csv:2: ${problem}`])
  })

  it('accepts the largest safe amount when it fits in minor units', () => {
    expect(problemsOf(['d1', 'r1', '2026-01-05', '90071992547409.91', '', '', ''])).toEqual([])
  })

  it('uses the currency digits of the plans when they are not 2', () => {
    const yen = [plan('nz', { currency: { code: 'JPY', digits: 0 } })]
    expect(problemsOf(['d1', 'r1', '2026-01-05', '100.5', '', '', ''], yen)).toEqual([
      'deals.csv:2: amount "100.5" has more than the 0 decimals of JPY',
    ])
  })

  it('reports cancelled_on before closed_on when both are dates a day apart', () => {
    expect(problemsOf(['d1', 'r1', '2026-01-05', '', '', '', '2026-01-04'])).toEqual([
      'deals.csv:2: cancelled_on 2026-01-04 is before closed_on 2026-01-05',
    ])
    expect(problemsOf(['d1', 'r1', '2026-01-05', '', '', '', '2026-01-05'])).toEqual([])
  })

  it('reports cancelled_on before closed_on when both are instants a millisecond apart', () => {
    expect(
      problemsOf(['d1', 'r1', '2026-01-05T10:00:00.001Z', '', '', '', '2026-01-05T12:00:00+02:00']),
    ).toEqual([
      'deals.csv:2: cancelled_on 2026-01-05T12:00:00+02:00 is before closed_on 2026-01-05T10:00:00.001Z',
    ])
  })

  // Closed 2026-01-04T20:00Z; cancelled on 2026-01-05, which starts at 2026-01-04T11:00Z in
  // Auckland (UTC+13 in January) but at 2026-01-05T00:00Z in UTC.
  it.each([
    {
      rep: 'r1',
      problems: [
        'deals.csv:2: cancelled_on 2026-01-05 is before closed_on 2026-01-04T20:00:00Z in time zone Pacific/Auckland',
      ],
    },
    { rep: 'r2', problems: [] },
    { rep: 'r3', problems: [] },
    {
      rep: 'r2:50;r1:50',
      problems: [
        'deals.csv:2: cancelled_on 2026-01-05 is before closed_on 2026-01-04T20:00:00Z in time zone Pacific/Auckland',
      ],
    },
  ])(
    'compares a date with an instant in the zone of each crediting plan when the rep is $rep',
    ({ rep, problems }) => {
      expect(problemsOf(['d1', rep, '2026-01-04T20:00:00Z', '', '', '', '2026-01-05'])).toEqual(problems)
    },
  )

  it('compares in UTC when no plan of the run credits the deal', () => {
    // Closed on 2026-01-05, i.e. 00:00Z; cancelled 2026-01-04T23:00-05:00 = 2026-01-05T04:00Z, after.
    expect(problemsOf(['d1', 'r3', '2026-01-05', '', '', '', '2026-01-04T23:00:00-05:00'])).toEqual([])
    expect(problemsOf(['d1', 'r3', '2026-01-05', '', '', '', '2026-01-04T23:00:00Z'])).toEqual([
      'deals.csv:2: cancelled_on 2026-01-04T23:00:00Z is before closed_on 2026-01-05 in time zone UTC',
    ])
  })

  it('reports a summed column at line 1 when deals.csv lacks it', () => {
    const plans = [
      plan('nz', {
        metrics: [
          metric('emea', { kind: 'sum', field: 'seats' }),
          metric('m', { kind: 'sum', field: 'mrr' }),
        ],
      }),
    ]
    expect(read([HEADER, ['d1', 'r1', '2026-01-05', '', '', '', '']], plans).problems).toEqual([
      'deals.csv:1: missing column "seats" (metric emea of plan nz sums it)',
    ])
  })

  it('reports the first non-number of a summed column at its line when a cell is not a number', () => {
    const plans = [plan('nz', { metrics: [metric('seat_count', { kind: 'sum', field: 'seats' })] })]
    const records = [
      ['id', 'rep', 'closed_on', 'seats'],
      ['d1', 'r1', '2026-01-05', '3'],
      ['d2', 'r1', '2026-01-05', ''],
      ['d3', 'r1', '2026-01-05', 'many'],
      ['d4', 'r1', '2026-01-05', 'lots'],
    ]
    expect(read(records, plans).problems).toEqual([
      'deals.csv:4: seats "many" is not a number (metric seat_count of plan nz sums it)',
    ])
  })

  it('reports every problem at once when several rows are bad', () => {
    const records = [
      HEADER,
      ['d1', 'r1:50;r2:49', '2026-01-05', '', '', '', ''],
      ['d2', 'r7', '2026-13-01', '-1', '', 'x', ''],
      ['d1', 'r1', '2026-01-05', '', '', '', '2026-01-01'],
    ]
    expect(read(records).problems).toEqual([
      'deals.csv:2: shares add up to 99, not 100',
      'deals.csv:3: unknown rep "r7"',
      'deals.csv:3: closed_on "2026-13-01" is not a date (YYYY-MM-DD) or a date-time with an offset',
      'deals.csv:3: amount -1 is negative',
      'deals.csv:3: term_months "x" is not a whole number',
      'deals.csv:4: duplicate id "d1" (also on line 2)',
      'deals.csv:4: cancelled_on 2026-01-01 is before closed_on 2026-01-05',
    ])
  })
})
