import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closePeriod } from '../../src/app/close/close-period.ts'
import { setQuota } from '../../src/app/quotas/set-quota.ts'
import type { ResultJson } from '../../src/core/engine/result-json.ts'
import { demoServer, type DemoServer } from '../http/support.ts'

// The demo company: msp-ae is monthly, new_mrr (money, USD) defaults to 4000 and calls (a count)
// to 250; r01 (hired 2021, no ramp) is on it; January and February 2026 are closed.
const NOW = new Date('2026-03-05T10:00:00Z')

const quotaOf = (result: ResultJson, rep: string, metric: string): number | null | undefined =>
  result.plans
    .flatMap((p) => p.periods)
    .flatMap((p) => p.reps)
    .find((r) => r.rep === rep)?.metrics[metric]?.quota

describe('setQuota', () => {
  let demo: DemoServer
  const base = { orgId: 'northwind', actor: 'person-admin', now: NOW, repId: 'r01', metric: 'new_mrr' }
  beforeAll(async () => {
    demo = await demoServer()
  })
  afterAll(async () => demo.close())

  it('sets an override that the next dry-run close uses, with history and audit rows', async () => {
    const before = await closePeriod(demo.db, {
      orgId: 'northwind',
      period: '2026-03',
      actor: 't',
      now: NOW,
      dryRun: true,
    })
    // 4000 USD in minor units: the plan's default.
    expect(quotaOf(before.result, 'r01', 'new_mrr')).toBe(400_000)

    const change = await setQuota(demo.db, { ...base, period: '2026-03', amount: '5000.50' })
    expect(change).toEqual({
      repId: 'r01',
      period: '2026-03',
      metric: 'new_mrr',
      planId: 'msp-ae',
      before: null,
      after: '5000.5',
      planDefault: '4000',
    })
    const after = await closePeriod(demo.db, {
      orgId: 'northwind',
      period: '2026-03',
      actor: 't',
      now: NOW,
      dryRun: true,
    })
    expect(quotaOf(after.result, 'r01', 'new_mrr')).toBe(500_050)

    const again = await setQuota(demo.db, { ...base, period: '2026-03', amount: '4500' })
    expect([again.before, again.after]).toEqual(['5000.5', '4500'])
    const history = await demo.db.query<{ before: unknown; after: unknown; changed_by: string }>(
      `select before, after, changed_by from quota_history
        where org_id = 'northwind' and rep_id = 'r01' and period = '2026-03' and metric = 'new_mrr' order by changed_at, before is not null`,
    )
    expect(history).toEqual([
      { before: null, after: { amount: '5000.5' }, changed_by: 'person-admin' },
      { before: { amount: '5000.5' }, after: { amount: '4500' }, changed_by: 'person-admin' },
    ])
    const audit = await demo.db.query<{ action: string; subject: string; actor: string }>(
      `select action, subject, actor from audit_log where org_id = 'northwind' and action like 'quota.%' order by id`,
    )
    expect(audit).toEqual([
      { action: 'quota.set', subject: 'r01/2026-03/new_mrr', actor: 'person-admin' },
      { action: 'quota.set', subject: 'r01/2026-03/new_mrr', actor: 'person-admin' },
    ])
  })

  it('removes an override: the plan default applies again', async () => {
    const removed = await setQuota(demo.db, { ...base, period: '2026-03', amount: null })
    expect([removed.before, removed.after]).toEqual(['4500', null])
    const rows = await demo.db.query(
      `select 1 from quotas where org_id = 'northwind' and rep_id = 'r01' and period = '2026-03' and metric = 'new_mrr'`,
    )
    expect(rows).toEqual([])
    const dry = await closePeriod(demo.db, {
      orgId: 'northwind',
      period: '2026-03',
      actor: 't',
      now: NOW,
      dryRun: true,
    })
    expect(quotaOf(dry.result, 'r01', 'new_mrr')).toBe(400_000)
    const [last] = await demo.db.query<{ action: string; before: unknown; after: unknown }>(
      `select action, before, after from audit_log where org_id = 'northwind' order by id desc limit 1`,
    )
    expect(last).toEqual({ action: 'quota.remove', before: { amount: '4500' }, after: null })
  })

  it('accepts a decimal count for a count metric', async () => {
    const change = await setQuota(demo.db, { ...base, metric: 'calls', period: '2026-04', amount: '212.5' })
    expect([change.after, change.planDefault]).toEqual(['212.5', '250'])
  })

  it.each([
    [{ period: '2026-02', amount: '1.00' }, 'quota.period_closed'],
    [{ period: '2026-Q2', amount: '1.00' }, 'quota.bad_period'],
    [{ period: '2026-13', amount: '1.00' }, 'quota.bad_period'],
    [{ period: '2026-04', amount: '1.005' }, 'quota.bad_amount'],
    [{ period: '2026-04', amount: '-5' }, 'quota.bad_amount'],
    [{ period: '2026-04', amount: 'ten' }, 'quota.bad_amount'],
    [{ period: '2026-04', amount: '1', metric: 'team_new_mrr' }, 'quota.bad_metric'],
    [{ period: '2026-04', amount: '1', repId: 'nobody' }, 'quota.unknown_rep'],
    [{ period: '2026-05', amount: null }, 'quota.not_found'],
  ])('refuses %o with %s, writing nothing', async (change, code) => {
    const count = async () =>
      (
        await demo.db.query<{ n: number }>(
          `select (select count(*) from quota_history where org_id = 'northwind')::int
                + (select count(*) from audit_log where org_id = 'northwind')::int as n`,
        )
      )[0]?.n
    const was = await count()
    await expect(setQuota(demo.db, { ...base, ...change })).rejects.toMatchObject({ code })
    expect(await count()).toBe(was)
  })
})
