import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database, Queryable } from '../../src/app/ports/sql.ts'
import type { WhatIfComparison } from '../../src/app/what-if/compare-runs.ts'
import { whatIf } from '../../src/app/what-if/what-if.ts'
import { testDatabase } from '../support/db.ts'
import { compared, plan, seedClosedQuarter } from './example-company.ts'

const projectsLine = (c: WhatIfComparison, rep: string) =>
  c.reps.find((r) => r.repId === rep)?.lines.find((l) => l.kind === 'commission' && l.rule === 'projects')

describe('whatIf', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
    await seedClosedQuarter(db)
  }, 120_000)
  afterAll(() => db.close())

  it('pays exactly what the closes paid when the draft is the published plan', async () => {
    // Given the published msp-ae plan, unchanged, over the three closed months
    const c = compared(await whatIf(db, { orgId: 'acme', planText: plan, file: 'msp-ae.yaml' }))
    // Then every rep and month matches the stored results, and every rule came due as often
    expect(c.periods).toEqual(['2026-01', '2026-02', '2026-03'])
    expect(c.replaces).toBe('msp-ae')
    expect(c.reps.map((r) => r.repId)).toEqual([
      'r01',
      'r02',
      'r03',
      'r04',
      'r05',
      'r07',
      'r08',
      'r09',
      'r10',
      'r11',
      'r12',
    ])
    for (const rep of c.reps)
      for (const p of rep.periods) {
        expect(p.whatIfMinor, `${rep.repId} ${p.period}`).toBe(p.actualMinor)
        expect(p.whatIfRules).toEqual(p.actualRules)
      }
    expect(c.totals.differenceMinor).toBe(0n)
    const [stored] = await db.query<{ n: number }>(
      `select sum(jsonb_array_length(result -> 'outcomes'))::int as n from results where org_id = 'acme' and plan_id = 'msp-ae'`,
    )
    expect(c.rules.reduce((n, r) => n + r.actual, 0)).toBe(stored?.n)
    expect(c.rules.every((r) => r.whatIf === r.actual)).toBe(true)
    expect(c.rules.find((r) => r.rule === 'pto-at-120')).toMatchObject({
      kind: 'incentive',
      effects: ['bonus', 'pto_days'],
    })
    expect(c.rules.find((r) => r.rule === 'warn-on-miss')).toMatchObject({ kind: 'consequence' })
  })

  it('doubles the projects commission when its rate doubles from 5% to 10%', async () => {
    const c = compared(
      await whatIf(db, {
        orgId: 'acme',
        planText: plan.replace('rate: 5%', 'rate: 10%'),
        file: 'msp-ae.yaml',
      }),
    )
    // r05 in January: projects D017 8,600.00 + D020 13,450.00 = 22,050.00;
    // 5% = 1,102.50 paid; 10% = 2,205.00: the payout rises by 1,102.50, 5,965.00 → 7,067.50.
    const r05 = c.reps.find((r) => r.repId === 'r05')
    expect(r05?.periods[0]).toMatchObject({ period: '2026-01', actualMinor: 596_500n, whatIfMinor: 706_750n })
    // r05 over the quarter: January 1,102.50 + March 330.00 (6,600.00 × 5%) = 1,432.50, doubled 2,865.00.
    expect(projectsLine(c, 'r05')).toMatchObject({ actualMinor: 143_250n, whatIfMinor: 286_500n })
    // r07: one project deal in the quarter, 4,350.00 × 5% = 217.50 → 435.00.
    expect(projectsLine(c, 'r07')).toMatchObject({ actualMinor: 21_750n, whatIfMinor: 43_500n })
    // The MRR commission does not move for anyone.
    for (const rep of c.reps) {
      const mrr = rep.lines.find((l) => l.rule === 'mrr')
      if (mrr !== undefined) expect(mrr.whatIfMinor, rep.repId).toBe(mrr.actualMinor)
    }
    expect(c.totals.differenceMinor).toBe(c.totals.whatIfMinor - c.totals.actualMinor)
    expect(c.totals.differenceMinor).toBeGreaterThan(0n)
  })

  it('shows which consequences would have come due under a stricter rule', async () => {
    // Warn below 120% instead of 100%: every warning of the real run still comes due, and more.
    const c = compared(
      await whatIf(db, {
        orgId: 'acme',
        planText: plan.replace('attainment.new_mrr < 1.0', 'attainment.new_mrr < 1.2'),
        file: 'msp-ae.yaml',
      }),
    )
    const warn = c.rules.find((r) => r.rule === 'warn-on-miss')
    expect(warn?.whatIf).toBeGreaterThan(warn?.actual ?? Infinity)
    for (const rep of c.reps)
      for (const p of rep.periods)
        if (p.actualRules.includes('warn-on-miss')) expect(p.whatIfRules).toContain('warn-on-miss')
  })

  it('returns the problems of a draft that does not check, at their line', async () => {
    const out = await whatIf(db, {
      orgId: 'acme',
      planText: plan.replace('rate: 5%', 'rate: lots'),
      file: 'msp-ae.yaml',
    })
    expect(out.ok).toBe(false)
    const line = plan.split('\n').findIndex((l) => l.includes('rate: 5%')) + 1
    expect(out.issues[0]).toMatchObject({ file: 'msp-ae.yaml', line })
  })

  it('runs a draft with a new id for the reps of the plan it replaces', async () => {
    const draft = plan.replace('id: msp-ae', 'id: msp-ae-2027')
    await expect(whatIf(db, { orgId: 'acme', planText: draft, file: 'new.yaml' })).rejects.toMatchObject({
      code: 'plan.unknown_plan',
    })
    const c = compared(
      await whatIf(db, { orgId: 'acme', planText: draft, file: 'new.yaml', replaces: 'msp-ae' }),
    )
    expect(c.planId).toBe('msp-ae-2027')
    expect(c.reps).toHaveLength(11)
    expect(c.totals.differenceMinor).toBe(0n)
  })

  it('reads the stored results on a second connection, or on its own when none was free in time', async () => {
    const draft = plan.replace('rate: 5%', 'rate: 10%')
    const args = { orgId: 'acme', planText: draft, file: 'msp-ae.yaml' }
    const alone = compared(await whatIf(db, args))
    const isResultsRead = (sql: string) => sql.includes('from results r')
    // Given a side database that gives a connection at once: the stored results are read once,
    // on either (the side when it started in time), and the answer is the same.
    let reads = 0
    const counting = (q: Queryable): Queryable => ({
      query: (sql, params) => {
        if (isResultsRead(sql)) reads++
        return q.query(sql, params)
      },
      exec: (sql) => q.exec(sql),
    })
    const side: Database = {
      kind: db.kind,
      query: (sql, params) => db.query(sql, params),
      exec: (sql) => db.exec(sql),
      close: async () => undefined,
      transaction: (fn) => db.transaction((tx) => fn(counting(tx))),
    }
    expect(compared(await whatIf(counting(db), { ...args, side }))).toEqual(alone)
    expect(reads).toBe(1)
    // Given a side database whose every connection is busy until the what-if answered: the
    // what-if does not wait for it, and the side read, once it gets one, reads nothing.
    let free!: () => void
    const busy = new Promise<void>((resolve) => (free = resolve))
    const sideSql: string[] = []
    const sideTx: Queryable = {
      query: async (sql) => {
        sideSql.push(sql)
        return []
      },
      exec: async (sql) => {
        sideSql.push(sql)
      },
    }
    const starved: Database = {
      ...side,
      transaction: async (fn) => {
        await busy
        return fn(sideTx)
      },
    }
    expect(compared(await whatIf(db, { ...args, side: starved }))).toEqual(alone)
    free()
    await new Promise((resolve) => setImmediate(resolve))
    expect(sideSql.length).toBeGreaterThan(0)
    expect(sideSql.filter(isResultsRead)).toEqual([])
  })

  it('runs over the last N closed periods only', async () => {
    const c = compared(await whatIf(db, { orgId: 'acme', planText: plan, file: 'msp-ae.yaml', months: 2 }))
    expect(c.periods).toEqual(['2026-02', '2026-03'])
  })
})
