import { closePeriod } from '../../src/app/close/close-period.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import type { WhatIfComparison } from '../../src/app/what-if/compare-runs.ts'
import type { WhatIfResult } from '../../src/app/what-if/what-if.ts'
import { example, seed } from '../support/seed.ts'

/** The example plan (msp-ae) as published, and the clock of the what-if tests (April 2026 open). */
export const plan = example('plan.yaml')
export const now = new Date('2026-04-05T12:00:00Z')

/** The example company as organization `acme`, with January to March 2026 closed. */
export async function seedClosedQuarter(db: Database): Promise<void> {
  await seed(db, 'acme', {
    plans: [plan, example('manager-plan.yaml')],
    reps: example('reps.csv'),
    deals: example('deals.csv'),
    activities: example('activities.csv'),
    quotas: example('quotas.csv'),
  })
  for (const period of ['2026-01', '2026-02', '2026-03'])
    await closePeriod(db, { orgId: 'acme', period, actor: 'test', now, dryRun: false })
}

/** The comparison of a what-if whose draft checks (the test fails otherwise). */
export function compared(out: WhatIfResult): WhatIfComparison {
  if (!out.ok) throw new Error(`the draft does not check: ${out.issues[0]?.message ?? ''}`)
  return out
}
