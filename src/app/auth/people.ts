import { DomainError } from '../../core/domain-error.ts'
import type { Queryable } from '../ports/sql.ts'
import { checkPasswordStrength, hashPassword } from './passwords.ts'
import { newId } from './secrets.ts'

export type PersonRole = 'owner' | 'admin' | 'finance' | 'manager' | 'rep'

/** Adds a person who can sign in (in the caller's organization-scoped transaction). */
export async function insertPerson(
  tx: Queryable,
  args: {
    orgId: string
    email: string
    name: string
    role: PersonRole
    repId: string | null
    password: string
    now: Date
    id?: string
  },
): Promise<{ personId: string }> {
  checkPasswordStrength(args.password)
  const email = args.email.trim()
  const [taken] = await tx.query('select 1 from people where org_id = $1 and lower(email) = lower($2)', [
    args.orgId,
    email,
  ])
  if (taken !== undefined)
    throw new DomainError('auth.email_taken', `${email} already has a login.`, { email })
  if (args.repId !== null) {
    const [rep] = await tx.query('select 1 from reps where org_id = $1 and id = $2', [args.orgId, args.repId])
    if (rep === undefined)
      throw new DomainError('rep.not_found', `There is no rep "${args.repId}".`, { repId: args.repId })
  }
  const personId = args.id ?? newId()
  await tx.query(
    `insert into people (org_id, id, email, name, role, rep_id, password_hash, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      args.orgId,
      personId,
      email,
      args.name,
      args.role,
      args.repId,
      await hashPassword(args.password),
      args.now.toISOString(),
    ],
  )
  return { personId }
}
