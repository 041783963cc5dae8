import { describe, expect, it } from 'vitest'
import type { Line, RepResult, RunResult } from './result.ts'
import { formatResultCsv } from './result-csv.ts'
import { testPlan } from '../../../test/support/plan-fixture.ts'

const plan = testPlan('msp-ae', { name: 'Account Executive', file: 'plan.yaml' })

const line = (fields: Partial<Line>): Line => ({
  kind: 'commission',
  amountMinor: 0n,
  forfeitedMinor: 0n,
  cappedMinor: 0n,
  ...fields,
})

const rep = (id: string, lines: Line[]): RepResult => ({
  rep: id,
  computed: true,
  metrics: [],
  lines,
  outcomes: [],
  payoutMinor: 0n,
  balanceMinor: 0n,
  warnings: [],
})

function run(periods: { period: string; reps: RepResult[] }[], digits = 2): RunResult {
  const currency = { code: digits === 2 ? 'USD' : 'JPY', digits }
  return {
    plans: [
      {
        plan,
        id: 'msp-ae',
        currency,
        period: 'month',
        periods: periods.map((p) => ({ ...p, start: `${p.period}-01`, end: `${p.period}-28` })),
      },
    ],
  }
}

describe('formatResultCsv', () => {
  it('writes one row per line with money in currency units', () => {
    const csv = formatResultCsv(
      run([
        {
          period: '2026-01',
          reps: [
            rep('r1', [
              line({ rule: 'mrr', amountMinor: 418450n, cappedMinor: 5000n }),
              line({ rule: 'projects', forfeitedMinor: 12000n }),
            ]),
            rep('r2', [line({ kind: 'clawback', rule: 'mrr', deal: 'd7', amountMinor: -1205n })]),
          ],
        },
        { period: '2026-02', reps: [] },
        { period: '2026-03', reps: [rep('r1', [line({ kind: 'draw', amountMinor: 150000n })])] },
      ]),
    )
    expect(csv).toBe(
      [
        'plan,period,rep,kind,rule,deal,amount,forfeited,capped',
        'msp-ae,2026-01,r1,commission,mrr,,4184.50,0.00,50.00',
        'msp-ae,2026-01,r1,commission,projects,,0.00,120.00,0.00',
        'msp-ae,2026-01,r2,clawback,mrr,d7,-12.05,0.00,0.00',
        'msp-ae,2026-03,r1,draw,,,1500.00,0.00,0.00',
        '',
      ].join('\n'),
    )
  })

  it('quotes fields holding a comma, a quote or a line break, doubling quotes', () => {
    const csv = formatResultCsv(
      run([
        {
          period: '2026-01',
          reps: [rep('r,1', [line({ kind: 'clawback', rule: 'say "hi"', deal: 'd\n7' })])],
        },
      ]),
    )
    expect(csv.split('\n').slice(1).join('\n')).toBe(
      'msp-ae,2026-01,"r,1",clawback,"say ""hi""","d\n7",0.00,0.00,0.00\n',
    )
  })

  it('writes amounts with the currency digits', () => {
    const csv = formatResultCsv(
      run([{ period: '2026-01', reps: [rep('r1', [line({ rule: 'mrr', amountMinor: 1235n })])] }], 0),
    )
    expect(csv).toContain('r1,commission,mrr,,1235,0,0\n')
  })

  it('writes the header alone when there are no lines', () => {
    expect(formatResultCsv({ plans: [] })).toBe('plan,period,rep,kind,rule,deal,amount,forfeited,capped\n')
  })
})
