import { describe, expect, it } from 'vitest'
import { ratio } from '../money/rational.ts'
import type { RowReader } from './header.ts'
import { formatInputIssue, IssueCollector } from './issues.ts'
import { readQuotas } from './read-quotas.ts'
import { readReps } from './read-reps.ts'
import { testMetric as metric, testPlan as plan } from '../../../test/support/plan-fixture.ts'

function feed<T>(reader: RowReader<T>, records: string[][]): T {
  records.forEach((cells, i) => (i === 0 ? reader.header(cells, 1) : reader.row(cells, i + 1)))
  return reader.finish()
}

// r1 on a monthly plan, r2 on a quarterly one, r3 on a plan not in the run, r4 on none.
const REPS = [
  ['id', 'plan'],
  ['r1', 'msp-ae'],
  ['r2', 'msp-am'],
  ['r3', 'elsewhere'],
  ['r4', ''],
]
const METRICS = [
  metric('new_mrr', { kind: 'sum', field: 'mrr' }, true),
  metric('calls', { kind: 'count', of: 'activities' }, false),
]
const PLANS = [plan('msp-ae', { metrics: METRICS }), plan('msp-am', { period: 'quarter', metrics: METRICS })]
const HEADER = ['rep', 'period', 'metric', 'amount']

function read(records: string[][]) {
  const issues = new IssueCollector()
  const { reps, repIndex } = feed(readReps('reps.csv', issues), REPS)
  const quotas = feed(readQuotas('quotas.csv', issues, { reps, repIndex, plans: PLANS }), records)
  return { quotas, problems: issues.list().map(formatInputIssue) }
}

describe('readQuotas', () => {
  it('reads each override exactly when the header has odd case and a BOM', () => {
    const { quotas, problems } = read([
      ['\uFEFFRep', ' PERIOD ', 'Metric', 'amount'],
      ['r1', '2026-01', 'new_mrr', '4000.50'],
      ['r2', '2026-Q1', 'calls', '250.125'],
    ])
    expect(problems).toEqual([])
    expect(quotas).toEqual([
      {
        rep: 0,
        period: { kind: 'month', index: 2026 * 12 },
        metric: 'new_mrr',
        amount: ratio(800_100n, 200n),
      },
      {
        rep: 1,
        period: { kind: 'quarter', index: 2026 * 4 },
        metric: 'calls',
        amount: ratio(250_125n, 1000n),
      },
    ])
  })

  it('ignores rows of reps whose plan is not in the run, however bad, when the rep exists', () => {
    const { quotas, problems } = read([HEADER, ['r3', '2026-Q1', 'nope', '-1'], ['r4', 'x', '', '']])
    expect(problems).toEqual([])
    expect(quotas).toEqual([])
  })

  it.each([
    { cells: ['r9', '2026-01', 'new_mrr', '1'], problem: 'unknown rep "r9"' },
    { cells: ['', '2026-01', 'new_mrr', '1'], problem: 'rep is empty' },
    {
      cells: ['r1', '2026-Q1', 'new_mrr', '1'],
      problem: 'period 2026-Q1 is a quarter, but plan msp-ae is monthly',
    },
    {
      cells: ['r2', '2026-01', 'calls', '1'],
      problem: 'period 2026-01 is a month, but plan msp-am is quarterly',
    },
    {
      cells: ['r1', '2026-13', 'calls', '1'],
      problem: 'period "2026-13" is not a period key (2026-01, 2026-Q1 or 2026)',
    },
    { cells: ['r1', '2026-01', 'meetings', '1'], problem: 'plan msp-ae has no metric "meetings"' },
    { cells: ['r1', '2026-01', '', '1'], problem: 'metric is empty' },
    {
      cells: ['r1', '2026-01', 'new_mrr', '4000.505'],
      problem: 'amount "4000.505" has more than the 2 decimals of USD',
    },
    { cells: ['r1', '2026-01', 'new_mrr', '-4000'], problem: 'amount -4000 is negative' },
    { cells: ['r1', '2026-01', 'new_mrr', '4k'], problem: 'amount "4k" is not an amount' },
    { cells: ['r1', '2026-01', 'calls', '-2'], problem: 'amount -2 is negative' },
    { cells: ['r1', '2026-01', 'calls', 'lots'], problem: 'amount "lots" is not a number' },
    { cells: ['r1', '2026-01', 'calls', ''], problem: 'amount is empty' },
  ])('reports "$problem" when a cell is bad', ({ cells, problem }) => {
    expect(read([HEADER, cells]).problems).toEqual([`quotas.csv:2: ${problem}`])
  })

  it('reports a duplicate (rep, period, metric) with the line of the first when a quota repeats', () => {
    const { problems } = read([
      HEADER,
      ['r1', '2026-01', 'calls', '1'],
      ['r1', '2026-02', 'calls', '1'],
      ['r1', '2026-01', 'calls', '2'],
    ])
    expect(problems).toEqual(['quotas.csv:4: duplicate quota for r1, 2026-01, calls (also on line 2)'])
  })

  it('reports missing columns at line 1 when the header lacks them', () => {
    expect(
      read([
        ['rep', 'period'],
        ['r1', '2026-01'],
      ]).problems,
    ).toEqual(['quotas.csv:1: missing column "metric"', 'quotas.csv:1: missing column "amount"'])
  })
})
