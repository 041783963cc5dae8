import { type Currency, getCurrency } from '../../core/money/money.ts'
import type { Queryable } from '../ports/sql.ts'

/** Someone a notification goes to: a person who signs in, or a rep (through the login bound to it when there is one). */
export interface Recipient {
  /** 'person:<id>' or 'rep:<id>': one key per human, so one notification each. */
  readonly key: string
  readonly personId: string | null
  readonly repId: string | null
  readonly name: string
  /** The address email goes to; null when none is known (in-app only). */
  readonly email: string | null
}

/** The organization's people and reps, as notifications address them. */
export interface Directory {
  readonly currency: Currency
  readonly timeZone: string
  /** The rep's recipient: the person bound to the rep when there is one, else the rep itself. */
  rep(repId: string): Recipient
  /** People with the owner or admin role (not disabled). */
  readonly executives: readonly Recipient[]
  repName(repId: string): string
  /** The reps whose manager is `managerId` (a rep id), by name. */
  teamOf(managerId: string): readonly string[]
  /** Rep ids that manage at least one rep. */
  readonly managers: readonly string[]
}

interface PersonRow {
  id: string
  email: string
  name: string
  role: string
  rep_id: string | null
}

/** Reads the organization's currency, time zone, people and reps once. */
export async function loadDirectory(db: Queryable, orgId: string): Promise<Directory> {
  const [org] = await db.query<{ currency: string; timezone: string }>(
    'select currency, timezone from organizations where id = $1',
    [orgId],
  )
  const currency = getCurrency(org?.currency ?? 'USD') ?? { code: org?.currency ?? 'USD', digits: 2 }
  const people = await db.query<PersonRow>(
    `select id, email, name, role, rep_id from people where org_id = $1 and disabled_at is null order by id`,
    [orgId],
  )
  const reps = await db.query<{ id: string; name: string; email: string; manager: string | null }>(
    'select id, name, email, manager from reps where org_id = $1 order by id',
    [orgId],
  )
  const repById = new Map(reps.map((r) => [r.id, r]))
  const personByRep = new Map<string, PersonRow>()
  for (const p of people) if (p.rep_id !== null && !personByRep.has(p.rep_id)) personByRep.set(p.rep_id, p)
  const team = new Map<string, string[]>()
  for (const r of reps) {
    if (r.manager === null || r.manager === '') continue
    team.set(r.manager, [...(team.get(r.manager) ?? []), r.id])
  }
  const person = (p: PersonRow): Recipient => ({
    key: `person:${p.id}`,
    personId: p.id,
    repId: p.rep_id,
    name: p.name !== '' ? p.name : (repById.get(p.rep_id ?? '')?.name ?? p.email),
    email: p.email === '' ? null : p.email,
  })
  const repName = (id: string): string => {
    const name = repById.get(id)?.name
    return name === undefined || name === '' ? id : name
  }
  return {
    currency,
    timeZone: org?.timezone ?? 'UTC',
    rep(repId) {
      const p = personByRep.get(repId)
      if (p !== undefined) {
        const r = person(p)
        return r.email === null ? { ...r, email: emptyToNull(repById.get(repId)?.email) } : r
      }
      return {
        key: `rep:${repId}`,
        personId: null,
        repId,
        name: repName(repId),
        email: emptyToNull(repById.get(repId)?.email),
      }
    },
    executives: people.filter((p) => p.role === 'owner' || p.role === 'admin').map(person),
    repName,
    teamOf: (managerId) =>
      [...(team.get(managerId) ?? [])].sort((a, b) => repName(a).localeCompare(repName(b))),
    managers: [...team.keys()].sort(),
  }
}

const emptyToNull = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v)
