import type { Queryable } from '../../src/app/ports/sql.ts'

/**
 * An organization with a manager (Maria, a rep with a login as manager), two reps under her, an
 * owner and an admin, and three outcomes of the close of 2026-01:
 * - o-warn: Rob's warning, due 2026-02-07, owned by Maria, state due;
 * - o-pto: Rae's 2 PTO days, due 2026-02-07, owned by Maria, state overdue;
 * - o-coach: Rae's coaching plan, due 2026-02-07, no owner, state due.
 */
export async function seedNotifyOrg(db: Queryable, orgId: string): Promise<void> {
  await db.query(`insert into organizations (id, name, currency, timezone) values ($1, $1, 'USD', 'UTC')`, [
    orgId,
  ])
  const reps: [string, string, string, string | null][] = [
    ['m1', 'Maria Manager', `maria@reps.${orgId}.test`, null],
    ['r1', 'Rob Rep', `rob@${orgId}.test`, 'm1'],
    ['r2', 'Rae Rep', `rae@${orgId}.test`, 'm1'],
  ]
  for (const [id, name, email, manager] of reps)
    await db.query('insert into reps (org_id, id, name, email, manager) values ($1, $2, $3, $4, $5)', [
      orgId,
      id,
      name,
      email,
      manager,
    ])
  const people: [string, string, string, string, string | null][] = [
    ['p-owner', 'Olga Owner', `olga@${orgId}.test`, 'owner', null],
    ['p-admin', 'Adam Admin', `adam@${orgId}.test`, 'admin', null],
    ['p-maria', 'Maria Manager', `maria@people.${orgId}.test`, 'manager', 'm1'],
    ['p-fin', 'Fiona Finance', `fiona@${orgId}.test`, 'finance', null],
  ]
  for (const [id, name, email, role, repId] of people)
    await db.query(
      'insert into people (org_id, id, name, email, role, rep_id) values ($1, $2, $3, $4, $5, $6)',
      [orgId, id, name, email, role, repId],
    )
  const outcomes: [string, string, string, string, unknown, string, string | null][] = [
    ['o-warn', 'r1', 'low_mrr', 'warning', 'Below half of the MRR goal', 'due', 'm1'],
    ['o-pto', 'r2', 'top', 'pto_days', 2, 'overdue', 'm1'],
    [
      'o-coach',
      'r2',
      'coach',
      'coaching',
      { periods: 2, pass: 'attainment.mrr >= 0.8', program: 'Discovery' },
      'due',
      null,
    ],
  ]
  for (const [id, rep, rule, effect, detail, state, owner] of outcomes)
    await db.query(
      `insert into outcomes (org_id, id, close_id, period, rep_id, rule, effects, state, due_on, owner, effect, detail, opened_at)
       values ($1, $2, 'close-1', '2026-01', $3, $4, $5, $6, '2026-02-07', $7, $8, $9, '2026-02-01T08:00:00Z')`,
      [
        orgId,
        id,
        rep,
        rule,
        JSON.stringify({ [effect]: detail }),
        state,
        owner,
        effect,
        JSON.stringify(detail),
      ],
    )
}
