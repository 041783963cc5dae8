import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { calc, lineTuples, repIn, type CalcInput } from '../support/calc.ts'

// Worked examples for split credits, same-period cancellations and clawbacks
// (plan-language.md, "Metrics", "Commissions", "Draws and balance"). Numbers by hand.

/** A monthly USD plan paying 10% of MRR, capped at 100.00, with a 30-day clawback. */
const clawbackPlan = `version: 1
id: ae
name: Account Executive
currency: USD
period: month
metrics:
  new_mrr: { sum: mrr }
commissions:
  - { id: mrr, on: new_mrr, rate: 10%, cap: 100, clawback: 30 }
`

async function run(input: Partial<CalcInput> & Pick<CalcInput, 'deals'>) {
  const out = await calc({
    plans: { 'ae.yaml': clawbackPlan },
    reps: 'id,plan\nr1,ae\n',
    from: '2026-01',
    to: '2026-03',
    ...input,
  })
  expect(out.stderr).toBe('')
  expect(out.status).toBe(0)
  return out
}

describe('split credits', () => {
  const splitPlan = `version: 1
id: ae
name: Account Executive
currency: USD
period: month
metrics:
  new_mrr: { sum: mrr }
  deals: { count: deals }
  directs_mrr: { sum: mrr, of: directs }
commissions:
  - { id: mrr, on: new_mrr, rate: 100% }
`
  const splitReps = (ids: string[]) => 'id,plan,manager\nm,ae,\n' + ids.map((id) => `${id},ae,m\n`).join('')

  it('credits each rep the deal value times the share and keeps the sum exact when shares do not divide evenly', async () => {
    // Given one deal of 100.01 MRR split r1:33.33, r2:33.33, r3:33.34, all reporting to m
    const out = await calc({
      plans: { 'ae.yaml': splitPlan },
      reps: splitReps(['r1', 'r2', 'r3']),
      deals: 'id,rep,closed_on,mrr\nd1,r1:33.33;r2:33.33;r3:33.34,2026-01-15,100.01\n',
      from: '2026-01',
      to: '2026-01',
    })
    expect(out.status).toBe(0)
    // r1, r2: 100.01 × 0.3333 = 33.333333 → 3333; r3: 100.01 × 0.3334 = 33.343334 → 3334
    // (the printed values add up to 100.00, the exact ones to 100.01)
    const cents = { r1: 3333, r2: 3333, r3: 3334 }
    const shares = { r1: 0.3333, r2: 0.3333, r3: 0.3334 }
    for (const id of ['r1', 'r2', 'r3'] as const) {
      const entry = repIn(out, '2026-01', id)
      expect(entry?.metrics.new_mrr?.value).toBe(cents[id])
      expect(entry?.metrics.deals?.value).toBe(shares[id])
      // 100% of the exact credited value, rounded once: the same cents
      expect(lineTuples(entry)).toEqual([['commission', 'mrr', cents[id], 0, 0]])
    }
    // m's directs sum the exact credited values: 33.333333 + 33.333333 + 33.343334 = 100.01
    expect(repIn(out, '2026-01', 'm')?.metrics.directs_mrr?.value).toBe(10001)
  })

  it('credits shares that add up to the whole deal when splits and amounts are random', async () => {
    // Shares in hundredths of a percent (1..10000 summing to 10000), amounts in cents
    const split = fc
      .uniqueArray(fc.integer({ min: 1, max: 9999 }), { maxLength: 3 })
      .map((cuts) =>
        [0, ...[...cuts].sort((a, b) => a - b), 10000]
          .slice(1)
          .map((c, i, all) => c - (i === 0 ? 0 : all[i - 1]!)),
      )
    await fc.assert(
      fc.asyncProperty(split, fc.integer({ min: 1, max: 999_999_999 }), async (shares, mrrCents) => {
        const ids = shares.map((_, i) => `r${i + 1}`)
        const rep = shares.map((s, i) => `${ids[i]}:${s / 100}`).join(';')
        const mrr = `${Math.floor(mrrCents / 100)}.${String(mrrCents % 100).padStart(2, '0')}`
        const out = await calc({
          plans: { 'ae.yaml': splitPlan },
          reps: splitReps(ids),
          deals: `id,rep,closed_on,mrr\nd1,${rep},2026-01-15,${mrr}\n`,
          from: '2026-01',
          to: '2026-01',
        })
        expect(out.status).toBe(0)
        let shareSum = 0
        shares.forEach((s, i) => {
          const entry = repIn(out, '2026-01', ids[i]!)
          // value = mrrCents × s / 10000, rounded half away from zero (all positive)
          const exact = BigInt(mrrCents) * BigInt(s)
          const rounded = exact / 10000n + (2n * (exact % 10000n) >= 10000n ? 1n : 0n)
          expect(entry?.metrics.new_mrr?.value).toBe(Number(rounded))
          expect(entry?.metrics.deals?.value).toBe(s / 10000)
          shareSum += Math.round((entry?.metrics.deals?.value ?? 0) * 10000)
        })
        expect(shareSum).toBe(10000)
        expect(repIn(out, '2026-01', 'm')?.metrics.directs_mrr?.value).toBe(mrrCents)
      }),
      { numRuns: 25 },
    )
  })
})

describe('cancellations', () => {
  it('does not credit a deal at all when it is cancelled in the period it closed', async () => {
    // Given d1 (1,000.00) closed 2026-01-05 and cancelled 2026-01-20, d2 (300.00) closed 2026-01-10
    const out = await run({
      deals:
        'id,rep,closed_on,mrr,cancelled_on\nd1,r1,2026-01-05,1000.00,2026-01-20\nd2,r1,2026-01-10,300.00,\n',
    })
    // Then January counts only d2: 300.00 × 10% = 30.00, and no month books a clawback
    expect(repIn(out, '2026-01', 'r1')?.metrics.new_mrr?.value).toBe(30000)
    expect(lineTuples(repIn(out, '2026-01', 'r1'))).toEqual([['commission', 'mrr', 3000, 0, 0]])
    expect(lineTuples(repIn(out, '2026-02', 'r1'))).toEqual([['commission', 'mrr', 0, 0, 0]])
  })

  it('judges a same-period cancellation per plan when a monthly and a quarterly plan credit the deal', async () => {
    // Given d1 (1,000.00) split r1 (monthly) 50 / r2 (quarterly) 50, closed 2026-01-20, cancelled 2026-02-10
    const quarterly = clawbackPlan.replace('id: ae', 'id: q').replace('period: month', 'period: quarter')
    const out = await run({
      plans: { 'ae.yaml': clawbackPlan, 'q.yaml': quarterly },
      reps: 'id,plan\nr1,ae\nr2,q\n',
      deals: 'id,rep,closed_on,mrr,cancelled_on\nd1,r1:50;r2:50,2026-01-20,1000.00,2026-02-10\n',
    })
    // Then monthly: January credits 500.00 → 50.00; February claws back 50.00 × 500/500 and carries it
    expect(lineTuples(repIn(out, '2026-01', 'r1'))).toEqual([['commission', 'mrr', 5000, 0, 0]])
    expect(repIn(out, '2026-02', 'r1')?.lines).toContainEqual({
      kind: 'clawback',
      rule: 'mrr',
      deal: 'd1',
      amount: -5000,
      forfeited: 0,
      capped: 0,
    })
    // and quarterly: January and February are both in 2026-Q1, so d1 is not credited at all
    const q1 = repIn(out, '2026-Q1', 'r2', 1)
    expect(q1?.metrics.new_mrr?.value).toBe(0)
    expect(lineTuples(q1)).toEqual([['commission', 'mrr', 0, 0, 0]])
  })
})

describe('clawback', () => {
  // d1 1,250.10 + d2 749.90 = 2,000.00 in January: 10% = 200.00, capped at 100.00 (capped 100.00)
  const january = (cancelledOn: string) =>
    `id,rep,closed_on,mrr,cancelled_on\nd1,r1,2026-01-20,1250.10,${cancelledOn}\nd2,r1,2026-01-21,749.90,\nd3,r1,2026-03-05,1000.00,\n`

  it('books a negative clawback, carries it, then recovers it when the cancellation is exactly D days after closing', async () => {
    // Given d1 closed 2026-01-20 and cancelled 2026-02-19: 11 + 19 = 30 days, the window is 30
    const out = await run({ deals: january('2026-02-19') })
    const jan = repIn(out, '2026-01', 'r1')
    expect(lineTuples(jan)).toEqual([['commission', 'mrr', 10000, 0, 10000]])
    // Then February: paid 100.00 × 1,250.10 / 2,000.00 = 62.505 → −62.51 (half away from zero),
    // E = −62.51 < 0 so a carry of 62.51 brings the payout to 0 and the balance to 62.51
    const feb = repIn(out, '2026-02', 'r1')
    expect(feb?.lines).toEqual([
      { kind: 'commission', rule: 'mrr', amount: 0, forfeited: 0, capped: 0 },
      { kind: 'clawback', rule: 'mrr', deal: 'd1', amount: -6251, forfeited: 0, capped: 0 },
      { kind: 'carry', amount: 6251, forfeited: 0, capped: 0 },
    ])
    expect([feb?.payout, feb?.balance]).toEqual([0, 6251])
    // And March: d3 1,000.00 × 10% = 100.00 (at the cap), recovery −min(62.51, 100.00)
    const mar = repIn(out, '2026-03', 'r1')
    expect(lineTuples(mar)).toEqual([
      ['commission', 'mrr', 10000, 0, 0],
      ['recovery', undefined, -6251, 0, 0],
    ])
    expect([mar?.payout, mar?.balance]).toEqual([3749, 0])
  })

  it('takes nothing back when the cancellation is D + 1 days after closing', async () => {
    // Given d1 cancelled 2026-02-20: 31 days after 2026-01-20, outside the 30-day window
    const feb = repIn(await run({ deals: january('2026-02-20') }), '2026-02', 'r1')
    expect(lineTuples(feb)).toEqual([['commission', 'mrr', 0, 0, 0]])
    expect([feb?.payout, feb?.balance]).toEqual([0, 0])
  })

  it('takes nothing back when the cancellation falls after --to', async () => {
    // Given d1 cancelled 2026-02-19 but a run of January only
    const out = await run({ deals: january('2026-02-19'), to: '2026-01' })
    // Then January is as if nothing were cancelled and February is not listed
    expect(out.json.plans[0]?.periods.map((p) => p.period)).toEqual(['2026-01'])
    const jan = repIn(out, '2026-01', 'r1')
    expect(lineTuples(jan)).toEqual([['commission', 'mrr', 10000, 0, 10000]])
    expect([jan?.payout, jan?.balance]).toEqual([10000, 0])
  })

  it('takes nothing back when the line was forfeited by its gate', async () => {
    // Given quota 1,000.00, gate 50%: January 400.00 → attainment 0.4, 40.00 forfeited, paid 0
    const gated = clawbackPlan
      .replace('commissions:', 'quotas: { new_mrr: 1000 }\ncommissions:')
      .replace('cap: 100', 'gate: 50%')
    const out = await run({
      plans: { 'ae.yaml': gated },
      deals: 'id,rep,closed_on,mrr,cancelled_on\nd1,r1,2026-01-20,400.00,2026-02-10\n',
    })
    expect(lineTuples(repIn(out, '2026-01', 'r1'))).toEqual([['commission', 'mrr', 0, 4000, 0]])
    // Then February's clawback is 0 × 400/400 = 0, which is not listed; nothing is owed
    const feb = repIn(out, '2026-02', 'r1')
    expect(lineTuples(feb)).toEqual([['commission', 'mrr', 0, 0, 0]])
    expect([feb?.payout, feb?.balance]).toEqual([0, 0])
  })

  it('books the clawback and grows the balance when the rep is no longer employed', async () => {
    // Given r1 left 2026-01-31; d1 1,000.00 closed 2026-01-10 (pays 100.00), cancelled 2026-02-05
    const out = await run({
      reps: 'id,plan,left_on\nr1,ae,2026-01-31\n',
      deals: 'id,rep,closed_on,mrr,cancelled_on\nd1,r1,2026-01-10,1000.00,2026-02-05\n',
    })
    // Then February lists r1 with no metrics: clawback −100.00 × 1,000/1,000, carry 100.00
    expect(repIn(out, '2026-02', 'r1')).toEqual({
      rep: 'r1',
      metrics: {},
      lines: [
        { kind: 'clawback', rule: 'mrr', deal: 'd1', amount: -10000, forfeited: 0, capped: 0 },
        { kind: 'carry', amount: 10000, forfeited: 0, capped: 0 },
      ],
      outcomes: [],
      payout: 0,
      balance: 10000,
      warnings: [],
    })
    // and March does not list r1 at all
    expect(repIn(out, '2026-03', 'r1')).toBeUndefined()
  })
})
