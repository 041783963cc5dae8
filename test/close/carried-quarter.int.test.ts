import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closePeriod } from '../../src/app/close/close-period.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { calc } from '../support/calc.ts'
import { testDatabase } from '../support/db.ts'
import { example, seed } from '../support/seed.ts'

// The carried path for quarterly plans: the example plans with quarterly periods (no quota file:
// the plans' own quotas), closed quarter by quarter, give what calc gives.
const quarterly = (text: string) => text.replace(/^period: month\b/m, 'period: quarter')
const files = {
  plans: [quarterly(example('plan.yaml')), quarterly(example('manager-plan.yaml'))],
  reps: example('reps.csv'),
  deals: example('deals.csv'),
  activities: example('activities.csv'),
}
const now = new Date('2027-01-05T12:00:00Z')

describe('closing quarters from carried state', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
    await seed(db, 'qco', files)
  }, 120_000)
  afterAll(() => db.close())

  it('closes quarter by quarter on the carried path, to the cent what calc gives', async () => {
    expect(files.plans[0]).toMatch(/^period: quarter\b/m)
    const expected = await calc({
      plans: { 'plan.yaml': files.plans[0] ?? '', 'manager-plan.yaml': files.plans[1] ?? '' },
      reps: files.reps,
      deals: files.deals,
      activities: files.activities,
      from: '2026-01',
      to: '2026-12',
    })
    expect(expected.status).toBe(0)
    const paths: string[] = []
    for (const quarter of ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']) {
      const closed = await closePeriod(db, {
        orgId: 'qco',
        period: quarter,
        actor: 'test',
        now,
        dryRun: false,
      })
      paths.push(closed.path)
      for (const plan of expected.json.plans) {
        const want = plan.periods.find((p) => p.period === quarter)
        expect(want, quarter).toBeDefined()
        const got = closed.result.plans.find((p) => p.id === plan.id)?.periods[0]
        expect(got?.reps, `${plan.id} ${quarter}`).toEqual(want?.reps)
      }
    }
    expect(paths).toEqual(['full', 'carried', 'carried', 'carried'])
  })
})
