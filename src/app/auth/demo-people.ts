import { withOrgScope } from '../ports/org-scope.ts'
import type { Database } from '../ports/sql.ts'
import { insertPerson, type PersonRole } from './people.ts'

/** The password of every demo login (the demo is for trying things out, never for real pay). */
export const DEMO_PASSWORD = 'followthrough-demo'

export interface DemoLogin {
  email: string
  role: PersonRole
  repId: string | null
  password: string
}

/**
 * Logins for each role of the demo company, all with DEMO_PASSWORD: owner, admin and finance, a
 * manager bound to the manager rep and a rep bound to a rep (who must exist already).
 */
export async function createDemoPeople(
  db: Database,
  args: { orgId: string; managerRepId: string; repId: string; domain?: string; now: Date },
): Promise<DemoLogin[]> {
  const domain = args.domain ?? 'northwind-msp.example'
  const logins: DemoLogin[] = [
    { email: `owner@${domain}`, role: 'owner', repId: null, password: DEMO_PASSWORD },
    { email: `admin@${domain}`, role: 'admin', repId: null, password: DEMO_PASSWORD },
    { email: `finance@${domain}`, role: 'finance', repId: null, password: DEMO_PASSWORD },
    { email: `manager@${domain}`, role: 'manager', repId: args.managerRepId, password: DEMO_PASSWORD },
    { email: `rep@${domain}`, role: 'rep', repId: args.repId, password: DEMO_PASSWORD },
  ]
  await withOrgScope(db, args.orgId, async (tx) => {
    // The manager and rep sign in as the reps they are bound to, under their names.
    const names = new Map(
      (
        await tx.query<{ id: string; name: string }>(
          'select id, name from reps where org_id = $1 and id = any($2)',
          [args.orgId, [args.managerRepId, args.repId]],
        )
      ).map((r) => [r.id, r.name]),
    )
    for (const login of logins) {
      await insertPerson(tx, {
        orgId: args.orgId,
        email: login.email,
        name: (login.repId === null ? undefined : names.get(login.repId)) ?? `Demo ${login.role}`,
        role: login.role,
        repId: login.repId,
        password: login.password,
        now: args.now,
      })
    }
  })
  return logins
}
