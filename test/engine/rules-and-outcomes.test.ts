import { describe, expect, it } from 'vitest'
import { calc, lineTuples, repIn } from '../support/calc.ts'

const header = `version: 1
id: ae
name: AE
currency: USD
period: month
metrics:
  new_mrr: { sum: mrr }
  projects: { sum: amount, where: 'deal.type == "project"' }
  calls: { count: activities, where: 'activity.kind == "call"' }
quotas:
  new_mrr: 4000
  calls: 10
`

const reps = 'id,plan,hired_on\nr1,ae,2025-01-01\nr2,ae,\n'

describe('rules', () => {
  it('fires every effect of a rule in file order and lists the outcomes as written', async () => {
    // Given r1 at 5,000 / 4,000 = 125% of new_mrr with 2,400.00 of projects and 5 of 10 calls
    const plan = `${header}commissions:
  - { id: mrr, on: new_mrr, rate: 10% }
  - { id: projects, on: projects, rate: 5% }
spiffs:
  - { id: big, where: 'deal.mrr >= 5000.0', amount: 100 }
rules:
  - id: pto-at-120
    when: attainment.new_mrr >= 1.2
    then: { pto_days: 1.5, bonus: 500, raise: 3% }
  - id: call-minimum
    when: attainment.calls < 0.8
    then: { forfeit: [projects, big] }
  - id: boost
    when: rank.new_mrr == 1 && ranked.new_mrr == 2
    then: { boost: { rule: mrr, by: 25% } }
  - id: warn
    when: attainment.new_mrr < 1.0
    then: { warning: "Below goal" }
`
    const out = await calc({
      plans: { 'ae.yaml': plan },
      reps,
      deals:
        'id,rep,closed_on,mrr,amount,type\nd1,r1,2026-01-05,5000,,managed\nd2,r1,2026-01-06,,2400,project\nd3,r2,2026-01-07,1000,,managed\n',
      activities:
        'id,rep,kind,occurred_on\n' +
        [1, 2, 3, 4, 5].map((i) => `a${i},r1,call,2026-01-0${i}`).join('\n') +
        '\n',
      from: '2026-01',
      to: '2026-01',
    })
    expect(out.stderr).toBe('')
    const r1 = repIn(out, '2026-01', 'r1')
    // mrr 5,000 × 10% = 500.00; projects 2,400 × 5% = 120.00 forfeited; spiff 100.00 forfeited; bonus 500.00
    expect(lineTuples(r1)).toEqual([
      ['commission', 'mrr', 50000, 0, 0],
      ['commission', 'projects', 0, 12000, 0],
      ['spiff', 'big', 0, 10000, 0],
      ['bonus', 'pto-at-120', 50000, 0, 0],
    ])
    expect(r1?.payout).toBe(100000)
    expect(r1?.outcomes).toEqual([
      { rule: 'pto-at-120', effects: { pto_days: 1.5, bonus: 50000, raise: '0.03' } },
      { rule: 'call-minimum', effects: { forfeit: ['projects', 'big'] } },
      { rule: 'boost', effects: { boost: { rule: 'mrr', by: '0.25', periods: 1 } } },
    ])
    // r2 at 1,000 / 4,000 = 25% with 0 of 10 calls: the warning is an outcome, not an engine warning
    const r2 = repIn(out, '2026-01', 'r2')
    expect(r2?.outcomes.map((o) => o.rule)).toEqual(['call-minimum', 'warn'])
    expect(r2?.warnings).toEqual([])
  })

  it('adds one warning and does not fire when a when reads an absent quota', async () => {
    const plan = `${header.replace('  calls: 10\n', '')}rules:
  - id: call-minimum
    when: attainment.calls < 0.8
    then: { warning: "Too few calls" }
`
    const out = await calc({
      plans: { 'ae.yaml': plan },
      reps,
      deals: 'id,rep,closed_on,mrr\n',
      from: '2026-01',
      to: '2026-01',
    })
    const r1 = repIn(out, '2026-01', 'r1')
    expect(r1?.outcomes).toEqual([])
    expect(r1?.warnings).toHaveLength(1)
    expect(r1?.warnings[0]).toContain('call-minimum')
  })

  it('raises the next period by a boost and stacks boosts that overlap', async () => {
    // January: 8,000 / 4,000 = 200% fires both boosts (25% for 2 periods, 10% for 1)
    // February: 1,000 × 10% = 100.00 × 1.35 = 135.00; March: 100.00 × 1.25 = 125.00; April: 100.00
    const plan = `${header}commissions:
  - { id: mrr, on: new_mrr, rate: 10% }
rules:
  - { id: big, when: attainment.new_mrr >= 1.5, then: { boost: { rule: mrr, by: 25%, periods: 2 } } }
  - { id: small, when: attainment.new_mrr >= 1.5, then: { boost: { rule: mrr, by: 0.1 } } }
`
    const deals = [
      'id,rep,closed_on,mrr',
      'd1,r1,2026-01-05,8000',
      'd2,r1,2026-02-05,1000',
      'd3,r1,2026-03-05,1000',
      'd4,r1,2026-04-05,1000',
    ]
    const out = await calc({
      plans: { 'ae.yaml': plan },
      reps,
      deals: deals.join('\n') + '\n',
      from: '2026-01',
      to: '2026-04',
    })
    expect(
      ['2026-01', '2026-02', '2026-03', '2026-04'].map((p) => repIn(out, p, 'r1')?.lines[0]?.amount),
    ).toEqual([80000, 13500, 12500, 10000])
  })

  it('forfeits every commission, spiff and bonus line with forfeit: all', async () => {
    const plan = `${header}commissions:
  - { id: mrr, on: new_mrr, rate: 10% }
rules:
  - { id: bonus, when: 'true', then: { bonus: 25.5 } }
  - { id: all, when: value.new_mrr < 10000.0, then: { forfeit: all } }
`
    const out = await calc({
      plans: { 'ae.yaml': plan },
      reps,
      deals: 'id,rep,closed_on,mrr\nd1,r1,2026-01-05,1000\n',
      from: '2026-01',
      to: '2026-01',
    })
    // 100.00 commission and 25.50 bonus forfeited; nothing earned, nothing owed
    expect(lineTuples(repIn(out, '2026-01', 'r1'))).toEqual([
      ['commission', 'mrr', 0, 10000, 0],
      ['bonus', 'bonus', 0, 2550, 0],
    ])
    expect(repIn(out, '2026-01', 'r1')?.payout).toBe(0)
  })
})

describe('coaching', () => {
  const plan = `${header}commissions:
  - { id: mrr, on: new_mrr, rate: 10% }
rules:
  - id: coach
    when: misses.new_mrr >= 2 && !coaching.active
    then:
      coaching: { periods: 2, pass: attainment.new_mrr >= 0.9, program: Managed services selling }
  - id: review
    when: coaching.failed
    then: { termination_review: "Still below goal after coaching" }
  - id: praise
    when: coaching.passed
    then: { bonus: 100 }
  - id: active
    when: coaching.active
    then: { warning: "On coaching" }
`
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05']
  const run = (mrr: number[]) =>
    calc({
      plans: { 'ae.yaml': plan },
      reps: 'id,plan\nr1,ae\n',
      deals: 'id,rep,closed_on,mrr\n' + mrr.map((v, i) => `d${i},r1,${months[i]}-10,${v}`).join('\n') + '\n',
      from: '2026-01',
      to: '2026-05',
    })

  it('opens after two misses, is active in between and fails at the close of its last period', async () => {
    // Jan, Feb miss (1,000 / 4,000): opened in Feb, runs Mar–Apr; Apr at 3,000 / 4,000 = 75% < 90%: failed.
    // Decided at step 5 of April, it no longer blocks: the 4th miss in a row opens a new plan at step 6.
    const out = await run([1000, 1000, 1000, 3000, 5000])
    const rules = months.map((p) => repIn(out, p, 'r1')?.outcomes.map((o) => o.rule))
    expect(rules).toEqual([[], ['coach'], ['active'], ['coach', 'review'], ['active']])
    expect(repIn(out, '2026-02', 'r1')?.outcomes[0]?.effects).toEqual({
      coaching: { periods: 2, pass: 'attainment.new_mrr >= 0.9', program: 'Managed services selling' },
    })
  })

  it('passes when the stated condition holds in the last period', async () => {
    // Apr at 3,600 / 4,000 = 90%: passed → bonus 100.00; still a miss (< 100%), so a new plan opens
    const out = await run([1000, 1000, 1000, 3600, 1000])
    expect(months.map((p) => repIn(out, p, 'r1')?.outcomes.map((o) => o.rule))).toEqual([
      [],
      ['coach'],
      ['active'],
      ['coach', 'praise'],
      ['active'],
    ])
    expect(lineTuples(repIn(out, '2026-04', 'r1'))).toContainEqual(['bonus', 'praise', 10000, 0, 0])
  })

  it('leaves the plan undecided with a warning when the rep is not employed in its last period', async () => {
    const out = await calc({
      plans: { 'ae.yaml': plan },
      reps: 'id,plan,left_on\nr1,ae,2026-03-31\n',
      deals: 'id,rep,closed_on,mrr\nd1,r1,2026-01-10,100\nd2,r1,2026-02-10,100\n',
      from: '2026-01',
      to: '2026-05',
    })
    const april = repIn(out, '2026-04', 'r1')
    expect(april?.outcomes).toEqual([])
    expect(april?.warnings).toHaveLength(1)
    expect(april?.payout).toBe(0)
    expect(repIn(out, '2026-05', 'r1')).toBeUndefined()
  })
})

describe('draws', () => {
  const plan = (recoverable: boolean) => `${header}commissions:
  - { id: mrr, on: new_mrr, rate: 10% }
draw: { amount: 1500, recoverable: ${recoverable} }
`
  const deals =
    'id,rep,closed_on,mrr\nd1,r1,2026-01-10,10000\nd2,r1,2026-02-10,20000\nd3,r1,2026-03-10,30000\n'

  it('tops up to the draw and recovers it later when recoverable', async () => {
    // Jan earns 1,000.00 → draw 500.00, owes 500.00; Feb earns 2,000.00 → recovers min(500, 500) → pays 1,500.00
    // Mar earns 3,000.00 → nothing owed → pays 3,000.00
    const out = await calc({
      plans: { 'ae.yaml': plan(true) },
      reps: 'id,plan\nr1,ae\n',
      deals,
      from: '2026-01',
      to: '2026-03',
    })
    const got = ['2026-01', '2026-02', '2026-03'].map((p) => {
      const r = repIn(out, p, 'r1')
      return [lineTuples(r).slice(1), r?.payout, r?.balance]
    })
    expect(got).toEqual([
      [[['draw', undefined, 50000, 0, 0]], 150000, 50000],
      [[['recovery', undefined, -50000, 0, 0]], 150000, 0],
      [[], 300000, 0],
    ])
  })

  it('tops up without owing it back when not recoverable', async () => {
    const out = await calc({
      plans: { 'ae.yaml': plan(false) },
      reps: 'id,plan\nr1,ae\n',
      deals,
      from: '2026-01',
      to: '2026-02',
    })
    expect(repIn(out, '2026-01', 'r1')?.payout).toBe(150000)
    expect(repIn(out, '2026-01', 'r1')?.balance).toBe(0)
    expect(repIn(out, '2026-02', 'r1')?.payout).toBe(200000)
  })
})
