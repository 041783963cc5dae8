import { describe, expect, it } from 'vitest'
import { CloseError, closePeriod } from '../../src/app/close/close-period.ts'
import { testDatabase } from '../support/db.ts'
import { example, seed } from '../support/seed.ts'

describe('two closes of one organization at the same time', () => {
  it('runs one and tells the other that a close is in progress or done', async () => {
    const db = await testDatabase()
    try {
      await seed(db, 'acme', {
        plans: [example('plan.yaml')],
        reps: example('reps.csv'),
        deals: example('deals.csv'),
      })
      const run = () =>
        closePeriod(db, { orgId: 'acme', period: '2026-01', actor: 'test', now: new Date(), dryRun: false })
      const outcomes = await Promise.allSettled([run(), run()])
      const done = outcomes.filter((o) => o.status === 'fulfilled')
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []))
      expect(done).toHaveLength(1)
      expect(refused).toHaveLength(1)
      expect(refused[0]).toBeInstanceOf(CloseError)
      expect((refused[0] as CloseError).code).toMatch(/^close\.(in_progress|closed)$/)
      const [count] = await db.query<{ n: string }>(
        `select count(*)::text as n from close_runs where org_id = 'acme'`,
      )
      expect(count?.n).toBe('1')
    } finally {
      await db.close()
    }
  })
})
