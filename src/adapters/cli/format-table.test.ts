import { describe, expect, it } from 'vitest'
import type { MetricResult, RepResult, RunResult } from '../../core/engine/result.ts'
import { ratio } from '../../core/money/rational.ts'
import { formatResultTable } from './format-table.ts'
import { testPlan } from '../../../test/support/plan-fixture.ts'

const USD = { code: 'USD', digits: 2 }

const plan = testPlan('msp-ae', { name: 'Account Executive, Managed Services', file: 'plan.yaml' })

const metric = (id: string, money: boolean, value: bigint, quota: bigint | null): MetricResult => ({
  id,
  money,
  value: ratio(value),
  quota: quota === null ? null : ratio(quota),
  attainment: quota === null ? null : ratio(value, quota),
})

const r1: RepResult = {
  rep: 'r1',
  computed: true,
  metrics: [
    metric('new_mrr', true, 4123n, 4000n),
    metric('projects', true, 2400n, null),
    metric('calls', false, 190n, 250n),
  ],
  lines: [
    { kind: 'commission', rule: 'mrr', amountMinor: 418450n, forfeitedMinor: 0n, cappedMinor: 5000n },
    { kind: 'commission', rule: 'projects', amountMinor: 0n, forfeitedMinor: 12000n, cappedMinor: 0n },
    { kind: 'bonus', rule: 'pto-at-120', amountMinor: 50000n, forfeitedMinor: 0n, cappedMinor: 0n },
  ],
  outcomes: [
    { rule: 'pto-at-120', effects: { order: ['pto_days', 'bonus'], ptoDays: ratio(1n), bonusMinor: 50000n } },
    { rule: 'call-minimum', effects: { order: ['forfeit'], forfeit: ['projects'] } },
    {
      rule: 'boost-after-150',
      effects: { order: ['boost'], boost: { rule: 'mrr', by: ratio(1n, 4n), periods: 2 } },
    },
  ],
  payoutMinor: 468450n,
  balanceMinor: 0n,
  warnings: [],
}

const r2: RepResult = {
  rep: 'r2',
  computed: false,
  metrics: [],
  lines: [
    { kind: 'clawback', rule: 'mrr', deal: 'd7', amountMinor: -12050n, forfeitedMinor: 0n, cappedMinor: 0n },
    { kind: 'carry', amountMinor: 12050n, forfeitedMinor: 0n, cappedMinor: 0n },
  ],
  outcomes: [],
  payoutMinor: 0n,
  balanceMinor: 12050n,
  warnings: ['Deal d9 credits r2, who is not employed in 2026-01.'],
}

const result: RunResult = {
  plans: [
    {
      plan,
      id: 'msp-ae',
      currency: USD,
      period: 'month',
      periods: [
        { period: '2026-01', start: '2026-01-01', end: '2026-01-31', reps: [r1, r2] },
        { period: '2026-02', start: '2026-02-01', end: '2026-02-28', reps: [] },
      ],
    },
  ],
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string): string => text.replace(/\x1b\[\d+m/g, '')

describe('formatResultTable', () => {
  const plain = formatResultTable(result, { color: false })

  it('shows metrics with grouped values, quotas and attainment as a percentage', () => {
    expect(plain).toMatch(/new_mrr\s+4,123\.00\s+4,000\.00\s+103\.1%/)
    expect(plain).toMatch(/projects\s+2,400\.00\s+no quota/)
    expect(plain).toMatch(/calls\s+190\s+250\s+76\.0%/)
    expect(plain).toContain('amounts in USD')
  })

  it('shows lines with their forfeited and capped amounts', () => {
    expect(plain).toMatch(/commission\s+mrr\s+4,184\.50\s+capped 50\.00/)
    expect(plain).toMatch(/commission\s+projects\s+0\.00\s+forfeited 120\.00/)
    expect(plain).toMatch(/clawback\s+mrr\s+d7\s+-120\.50/)
  })

  it('tells outcomes in words, effects in plan order', () => {
    expect(plain).toContain('pto-at-120 fired: 1 day PTO, bonus 500.00')
    expect(plain).toContain('call-minimum fired: forfeit projects')
    expect(plain).toContain('boost-after-150 fired: boost mrr by 25% for the next 2 periods')
  })

  it('shows payout and balance per rep and a rep that is not computed', () => {
    expect(plain).toContain('payout 4,684.50   balance 0.00')
    expect(plain).toContain('payout 0.00   balance 120.50')
    expect(plain).toMatch(/r2\s+not computed/)
  })

  it('lists warnings at the end of the period and says when a period has no reps', () => {
    const warning = plain.indexOf('r2: Deal d9 credits r2')
    expect(warning).toBeGreaterThan(plain.indexOf('payout 0.00'))
    expect(warning).toBeLessThan(plain.indexOf('2026-02'))
    expect(plain).toMatch(/2026-02[^\n]*\n\s+no reps in this period/)
  })

  it('writes no escape codes without colour and fits 100 columns', () => {
    expect(plain).not.toContain('\x1b[')
    for (const line of plain.split('\n')) expect(line.length).toBeLessThanOrEqual(100)
  })

  it('paints forfeits red and payouts green with colour, the same text underneath', () => {
    const coloured = formatResultTable(result, { color: true })
    expect(coloured).toContain('\x1b[31mforfeited 120.00\x1b[0m')
    expect(coloured).toContain('payout \x1b[32m4,684.50\x1b[0m')
    expect(stripAnsi(coloured)).toBe(plain)
  })

  it('wraps long outcomes at the given width', () => {
    const long: RunResult = {
      plans: [
        {
          ...result.plans[0]!,
          periods: [
            {
              period: '2026-01',
              start: '2026-01-01',
              end: '2026-01-31',
              reps: [
                {
                  ...r1,
                  outcomes: [
                    { rule: 'warn', effects: { order: ['warning'], warning: 'word '.repeat(30).trim() } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    }
    const text = formatResultTable(long, { color: false, width: 60 })
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(60)
    expect(text).toContain('warn fired: formal warning "word word')
  })
})
