import { closePeriod } from '../../src/app/close/close-period.ts'
import type { Actor } from '../../src/app/followthrough/outcome-record.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { example, seed } from '../support/seed.ts'

/** The example company (Northwind MSP): managers m1 (North: r01–r06) and m2 (South: r07–r12). */
export async function seedExample(db: Database, orgId: string): Promise<void> {
  await seed(db, orgId, {
    plans: [example('plan.yaml'), example('manager-plan.yaml')],
    reps: example('reps.csv'),
    deals: example('deals.csv'),
    activities: example('activities.csv'),
    quotas: example('quotas.csv'),
  })
  const people: [string, string, string | null][] = [
    ['olga', 'owner', null],
    ['adam', 'admin', null],
    ['fin', 'finance', null],
    ['mia', 'manager', 'm1'],
    ['max', 'manager', 'm2'],
    ['rita', 'rep', 'r04'],
  ]
  for (const [id, role, rep] of people) {
    await db.query(
      'insert into people (org_id, id, email, name, role, rep_id) values ($1, $2, $3, $2, $4, $5)',
      [orgId, id, `${id}@${orgId}.example`, role, rep],
    )
  }
}

export const as = {
  owner: { id: 'olga', role: 'owner' },
  admin: { id: 'adam', role: 'admin' },
  finance: { id: 'fin', role: 'finance' },
  m1: { id: 'mia', role: 'manager' },
  m2: { id: 'max', role: 'manager' },
  rep: { id: 'rita', role: 'rep' },
} as const satisfies Record<string, Actor>

export async function closeMonths(
  db: Database,
  orgId: string,
  months: readonly string[],
  now: Date,
): Promise<void> {
  for (const period of months) await closePeriod(db, { orgId, period, actor: 'closer', now, dryRun: false })
}

export const month = (n: number): string => `2026-${String(n).padStart(2, '0')}`
