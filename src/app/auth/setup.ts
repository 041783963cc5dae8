import { DomainError } from '../../core/domain-error.ts'
import type { Database } from '../ports/sql.ts'
import { recordAudit } from './audit.ts'
import { insertPerson } from './people.ts'

/** Whether the first-run setup is still to do: nobody can sign in yet. */
export async function setupNeeded(db: Database): Promise<boolean> {
  const [state] = await db.query<{ people: number | bigint | string }>(
    'select people from auth_setup_state()',
  )
  return Number(state?.people ?? 0) === 0
}

/**
 * First run: creates the organization (or adopts the only one, made by the command line) and its
 * owner. Refused once anybody can sign in.
 */
export async function setupOrganization(
  db: Database,
  args: {
    orgId: string
    orgName: string
    currency: string
    timezone: string
    email: string
    name: string
    password: string
    now: Date
  },
): Promise<{ orgId: string; personId: string }> {
  const [state] = await db.query<{ organizations: unknown; people: unknown; only_org: string | null }>(
    'select * from auth_setup_state()',
  )
  const orgs = Number(state?.organizations ?? 0)
  if (Number(state?.people ?? 0) > 0)
    throw new DomainError('auth.setup_done', 'This server is set up already: sign in.')
  if (orgs > 1)
    throw new DomainError(
      'auth.setup_done',
      'There are several organizations already; set them up from the command line.',
    )
  const orgId = orgs === 1 && state?.only_org != null ? state.only_org : args.orgId
  // As the database's owner, not through withOrgScope: the app's role may not create organizations,
  // and on first run there is no other organization's data to keep apart.
  return db.transaction(async (tx) => {
    // Two setups at once: the second waits here, then finds the owner of the first.
    await tx.query(`select pg_advisory_xact_lock(hashtext(current_schema() || ':' || $1))`, [
      'followthrough.setup',
    ])
    const [again] = await tx.query<{ people: unknown }>('select people from auth_setup_state()')
    if (Number(again?.people ?? 0) > 0)
      throw new DomainError('auth.setup_done', 'This server is set up already: sign in.')
    if (orgs === 0) {
      await tx.query('insert into organizations (id, name, currency, timezone) values ($1, $2, $3, $4)', [
        orgId,
        args.orgName,
        args.currency,
        args.timezone,
      ])
    }
    const { personId } = await insertPerson(tx, {
      orgId,
      email: args.email,
      name: args.name,
      role: 'owner',
      repId: null,
      password: args.password,
      now: args.now,
    })
    await recordAudit(tx, {
      orgId,
      actor: personId,
      action: 'setup',
      subject: `organization:${orgId}`,
      after: { organization: orgId, owner: args.email },
      at: args.now,
    })
    return { orgId, personId }
  })
}
