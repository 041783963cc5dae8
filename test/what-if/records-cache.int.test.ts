import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { textSource } from '../../src/adapters/import/import-sources.ts'
import { importFile } from '../../src/app/import/import-file.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import type { WhatIfComparison } from '../../src/app/what-if/compare-runs.ts'
import { WhatIfRecordsCache } from '../../src/app/what-if/records-cache.ts'
import { prepareWhatIf, whatIf } from '../../src/app/what-if/what-if.ts'
import { testDatabase } from '../support/db.ts'
import { compared, now, plan, seedClosedQuarter } from './example-company.ts'

const draft = plan.replace('rate: 5%', 'rate: 10%')

describe('WhatIfRecordsCache', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
    await seedClosedQuarter(db)
  }, 120_000)
  afterAll(() => db.close())

  it('answers as an uncached what-if, reads once while nothing changes, and again after an import', async () => {
    // Given a cache, and the window of msp-ae prepared in it (12 reps on the plan, r06 among them)
    const cache = new WhatIfRecordsCache()
    const reads = () => cache.reads
    const window = await prepareWhatIf(db, { orgId: 'acme', planId: 'msp-ae', cache })
    expect(window).toEqual({ planId: 'msp-ae', periods: ['2026-01', '2026-02', '2026-03'], reps: 12 })
    expect(reads()).toBe(1)

    // When two drafts run through it
    const args = { orgId: 'acme', file: 'msp-ae.yaml' }
    const cached = compared(await whatIf(db, { ...args, planText: draft, cache }))
    const same = compared(await whatIf(db, { ...args, planText: plan, cache }))
    // Then the records were read once, and the answers are those of an uncached what-if
    expect(reads()).toBe(1)
    expect(cached).toEqual(compared(await whatIf(db, { ...args, planText: draft })))
    expect(same.totals.differenceMinor).toBe(0n)

    // When a project deal of r05 in March arrives (an import writes an audit entry)
    const imported = await importFile(db, {
      orgId: 'acme',
      kind: 'deals',
      file: textSource(
        'late.csv',
        'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\nLATE1,r05,2026-03-10,project,Late Co,,,10000.00,\n',
      ),
      actor: 'crm',
      now,
    })
    expect(imported.ok).toBe(true)
    const after = compared(await whatIf(db, { ...args, planText: draft, cache }))
    // Then the records are read again: r05's March has 10,000.00 more projects, 10% = 1,000.00 more
    expect(reads()).toBe(2)
    const march = (c: WhatIfComparison) =>
      c.reps.find((r) => r.repId === 'r05')?.periods.find((p) => p.period === '2026-03')?.whatIfMinor ?? 0n
    expect(march(after) - march(cached)).toBe(100_000n)
    expect(after).toEqual(compared(await whatIf(db, { ...args, planText: draft })))
  })

  it('refuses to prepare a plan that is not published', async () => {
    await expect(
      prepareWhatIf(db, { orgId: 'acme', planId: 'nope', cache: new WhatIfRecordsCache() }),
    ).rejects.toThrow(/No plan "nope" is published/)
  })
})
