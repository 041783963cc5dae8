import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { textSource } from '../../src/adapters/import/import-sources.ts'
import { closePeriod } from '../../src/app/close/close-period.ts'
import { importFile } from '../../src/app/import/import-file.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import type { WhatIfComparison } from '../../src/app/what-if/compare-runs.ts'
import { WhatIfRecordsCache, whatIfRecordsCacheOf } from '../../src/app/what-if/records-cache.ts'
import { startWhatIfWarmUp, warmingAfterClose, WhatIfWarmUp } from '../../src/app/what-if/warm-up.ts'
import { whatIf, type WhatIfResult } from '../../src/app/what-if/what-if.ts'
import type { ImportKind } from '../../src/core/imports/mapping.ts'
import { testDatabase } from '../support/db.ts'
import { example, seed } from '../support/seed.ts'

const plan = example('plan.yaml')
const draft = plan.replace('rate: 5%', 'rate: 10%')
const DEALS = 'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\n'
const ACTIVITIES = 'id,rep,kind,occurred_on\n'

function compared(out: WhatIfResult): WhatIfComparison {
  if (!out.ok) throw new Error(`the draft does not check: ${out.issues[0]?.message ?? ''}`)
  return out
}

const paid = (c: WhatIfComparison, rep: string, period: string): bigint =>
  c.reps.find((r) => r.repId === rep)?.periods.find((p) => p.period === period)?.whatIfMinor ?? 0n

// The window is January to March 2026 (closed); April on is open. The plan counts calls.
describe('WhatIfRecordsCache across data versions', () => {
  let db: Database
  let second = 0
  beforeAll(async () => {
    db = await testDatabase()
    await seed(db, 'acme', {
      plans: [plan, example('manager-plan.yaml')],
      reps: example('reps.csv'),
      deals: example('deals.csv'),
      activities: example('activities.csv'),
      quotas: example('quotas.csv'),
    })
    const now = new Date('2026-04-05T12:00:00Z')
    for (const period of ['2026-01', '2026-02', '2026-03'])
      await closePeriod(db, { orgId: 'acme', period, actor: 'test', now, dryRun: false })
  }, 120_000)
  afterAll(() => db.close())

  const args = { orgId: 'acme', file: 'msp-ae.yaml', planText: draft }

  /** A cache holding the window's records at the current version, and the answer it gives. */
  async function primed(): Promise<{ cache: WhatIfRecordsCache; before: WhatIfComparison }> {
    const cache = new WhatIfRecordsCache()
    const before = compared(await whatIf(db, { ...args, cache }))
    expect(cache.reads).toBe(1)
    return { cache, before }
  }

  /** An import (as a webhook delivery stores it), each at its own instant. */
  async function arrive(kind: ImportKind, text: string): Promise<void> {
    second += 1
    const out = await importFile(db, {
      orgId: 'acme',
      kind,
      file: textSource(`${kind}-${second}.csv`, text),
      actor: 'crm',
      now: new Date(Date.UTC(2026, 3, 6, 9, 0, second)),
    })
    expect(out.ok ? [] : out.issues).toEqual([])
  }

  /** The what-if through the cache, checked equal to an uncached one. */
  async function answer(cache: WhatIfRecordsCache): Promise<WhatIfComparison> {
    const cached = compared(await whatIf(db, { ...args, cache }))
    expect(cached).toEqual(compared(await whatIf(db, args)))
    return cached
  }

  it('keeps the records when deals are added and changed in the open period', async () => {
    // Given a cache holding the window
    const { cache, before } = await primed()
    // When a deal of r05 in May arrives, and a May deal of r07 changes (and later a June one)
    await arrive('deals', `${DEALS}OPEN1,r05,2026-05-20,project,Open Co,,,10000.00,\n`)
    await arrive('deals', `${DEALS}D146,r07,2026-05-14,project,Prairie Foods,,,17050.00,\n`)
    // Then the what-if reads nothing again, and answers as an uncached run, as before
    const after = await answer(cache)
    expect(cache.reads).toBe(1)
    expect(cache.kept).toBe(1)
    expect(after).toEqual(before)
    // And a date-time with an offset just past the day of slack, in April, keeps them too
    await arrive('deals', `${DEALS}OPEN2,r05,2026-04-02T08:00:00-05:00,project,Open Co,,,500.00,\n`)
    await answer(cache)
    expect(cache.reads).toBe(1)
    expect(cache.kept).toBe(2)
  })

  it('keeps the records when activities arrive in the open period', async () => {
    const { cache } = await primed()
    await arrive('activities', `${ACTIVITIES}OPENA1,r05,call,2026-06-02\nOPENA2,r06,meeting,2026-04-10\n`)
    await answer(cache)
    expect(cache).toMatchObject({ reads: 1, kept: 1 })
  })

  it('reads again when a deal arrives on the day after the window (its day of slack)', async () => {
    const { cache } = await primed()
    await arrive('deals', `${DEALS}EDGE1,r05,2026-04-01,project,Edge Co,,,700.00,\n`)
    await answer(cache)
    expect(cache).toMatchObject({ reads: 2, kept: 0 })
  })

  it('reads again when a deal arrives in a closed month of the window', async () => {
    const { cache, before } = await primed()
    await arrive('deals', `${DEALS}LATE1,r05,2026-03-10,project,Late Co,,,10000.00,\n`)
    const after = await answer(cache)
    expect(cache.reads).toBe(2)
    // r05's March has 10,000.00 more projects: 10% = 1,000.00 more
    expect(paid(after, 'r05', '2026-03') - paid(before, 'r05', '2026-03')).toBe(100_000n)
  })

  it('reads again when a deal of the window changes, or moves out of it or into it', async () => {
    const { cache, before } = await primed()
    // A February deal of r01 changes its amount (project revenue 500.00 → 2,500.00, managed)
    await arrive(
      'deals',
      `${DEALS}D045,r01,2026-02-11,managed,Redwood Plumbing & Heating,1896.00,36,2500.00,\n`,
    )
    await answer(cache)
    expect(cache.reads).toBe(2)
    // It moves to May: it was in the window before the change
    await arrive(
      'deals',
      `${DEALS}D045,r01,2026-05-11,managed,Redwood Plumbing & Heating,1896.00,36,2500.00,\n`,
    )
    const out = await answer(cache)
    expect(cache.reads).toBe(3)
    expect(paid(out, 'r01', '2026-02')).not.toBe(paid(before, 'r01', '2026-02'))
    // A May deal of r07 moves into March: it is in the window after the change
    await arrive('deals', `${DEALS}D146,r07,2026-03-30T23:30:00-06:00,project,Prairie Foods,,,16050.00,\n`)
    const into = await answer(cache)
    expect(cache.reads).toBe(4)
    expect(paid(into, 'r07', '2026-03') - paid(out, 'r07', '2026-03')).toBe(160_500n)
  })

  it('reads again when an activity arrives in a closed month (the plan counts calls)', async () => {
    const { cache } = await primed()
    await arrive('activities', `${ACTIVITIES}LATEA1,r05,call,2026-02-03T10:00:00-06:00\n`)
    await answer(cache)
    expect(cache).toMatchObject({ reads: 2, kept: 0 })
    // And when an open-period activity moves into the window
    await arrive('activities', `${ACTIVITIES}OPENA1,r05,call,2026-01-15\n`)
    await answer(cache)
    expect(cache).toMatchObject({ reads: 3, kept: 0 })
    // And when one of the window moves out of it
    await arrive('activities', `${ACTIVITIES}LATEA1,r05,call,2026-07-01\n`)
    await answer(cache)
    expect(cache).toMatchObject({ reads: 4, kept: 0 })
  })

  it('reads again when a quota or a rep changes, even outside the window', async () => {
    const { cache, before } = await primed()
    // A quota of r05 for June (an open period: closed ones are locked)
    await arrive('quotas', 'rep,period,metric,amount\nr05,2026-06,new_mrr,9000.00\n')
    const quota = await answer(cache)
    expect(cache.reads).toBe(2)
    expect(quota).toEqual(before)
    // A rep's name (the file names the managers above: a rep file is checked whole)
    const reps = example('reps.csv').split('\n')
    const [header, ...rows] = reps
    const chain = rows.filter((r) => /^(d1|m1),/.test(r))
    await arrive(
      'reps',
      [header, ...chain, rows.find((r) => r.startsWith('r05,'))]
        .join('\n')
        .replace('Elena Rossi', 'Elena Rossi-Park'),
    )
    const renamed = await answer(cache)
    expect(cache.reads).toBe(3)
    expect(renamed.reps.find((r) => r.repId === 'r05')?.name).toBe('Elena Rossi-Park')
  })

  it('warms the window in the background, and again after a close job', async () => {
    // Given a warm-up over a cache of its own
    const errors: unknown[] = []
    const cache = new WhatIfRecordsCache()
    const warmUp = new WhatIfWarmUp(db, cache, { onError: (e) => errors.push(e), delayMs: 0, busyShare: 1 })
    // When the organization is scheduled (twice before its turn)
    warmUp.schedule('acme')
    warmUp.schedule('acme')
    await warmUp.idle()
    // Then its window was read once, and a what-if finds it there
    expect(errors).toEqual([])
    expect(cache.reads).toBe(1)
    await answer(cache)
    expect(cache.reads).toBe(1)

    // Given the server's warm-up (on the database's own cache): it warms the organizations
    // closed most recently when it starts
    const server = startWhatIfWarmUp(db, { onError: (e) => errors.push(e), delayMs: 0, busyShare: 1 })
    await server.idle()
    const served = whatIfRecordsCacheOf(db)
    expect(served.reads).toBe(1)
    // When a deal of the window arrives, and a close job finishes (a dry run, then a real close)
    await arrive('deals', `${DEALS}LATE2,r05,2026-03-11,project,Late Co,,,100.00,\n`)
    const handlers = warmingAfterClose({ close: () => Promise.resolve('closed') }, db)
    const job = {
      orgId: 'acme',
      jobId: 'j1',
      actor: 'test',
      attempt: 1,
      db,
      now: new Date(),
      progress: () => {},
    }
    await handlers.close?.({ ...job, payload: { period: '2026-04', dryRun: true } })
    await server.idle()
    expect(served.reads).toBe(1)
    await handlers.close?.({ ...job, payload: { period: '2026-04' } })
    await server.idle()
    // Then the real close read the window again in the background, where the next what-if finds it
    expect(errors).toEqual([])
    expect(served.reads).toBe(2)
    await answer(served)
    expect(served.reads).toBe(2)
    await server.stop()
  })
})
