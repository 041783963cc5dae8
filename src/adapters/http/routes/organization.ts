import { z } from 'zod'
import { DomainError } from '../../../core/domain-error.ts'
import { getCurrency } from '../../../core/money/money.ts'
import { orgTx, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { errors } from '../schemas.ts'

const organization = z
  .object({ id: z.string(), name: z.string(), currency: z.string(), timezone: z.string() })
  .meta({ id: 'Organization' })

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The signed-in person's organization: its name, currency and time zone (owner and admin change them). */
export async function organizationRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const read = async (tx: Parameters<Parameters<typeof orgTx>[2]>[0], orgId: string) => {
    const [row] = await tx.query<{ id: string; name: string; currency: string; timezone: string }>(
      'select id, name, currency, timezone from organizations where id = $1',
      [orgId],
    )
    if (row === undefined) throw new DomainError('org.unknown', 'The organization is gone.')
    return row
  }

  app.get(
    '/organization',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['organization'],
        summary: 'The organization',
        response: { 200: organization, ...errors },
      },
    },
    async (request) => orgTx(request, deps, (tx, principal) => read(tx, principal.orgId)),
  )

  app.patch(
    '/organization',
    {
      preHandler: requireRole('owner', 'admin'),
      schema: {
        tags: ['organization'],
        summary: "Change the organization's name, currency or time zone (new plans default to them)",
        body: z.object({
          name: z.string().min(1).max(200).optional(),
          currency: z
            .string()
            .regex(/^[A-Z]{3}$/)
            .optional(),
          timezone: z.string().min(1).max(100).optional(),
        }),
        response: { 200: organization, ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const { name, currency, timezone } = request.body
        if (currency !== undefined && getCurrency(currency) === null)
          throw new DomainError('org.bad_currency', `"${currency}" is not an ISO 4217 currency.`, {
            currency,
          })
        if (timezone !== undefined && !isTimeZone(timezone))
          throw new DomainError('org.bad_timezone', `"${timezone}" is not an IANA time zone.`, { timezone })
        const before = await read(tx, principal.orgId)
        const after = {
          ...before,
          ...(name === undefined ? {} : { name }),
          ...(currency === undefined ? {} : { currency }),
          ...(timezone === undefined ? {} : { timezone }),
        }
        await tx.query('update organizations set name = $2, currency = $3, timezone = $4 where id = $1', [
          principal.orgId,
          after.name,
          after.currency,
          after.timezone,
        ])
        await tx.query(
          `insert into audit_log (org_id, at, actor, action, subject, before, after)
           values ($1, $2, $3, 'organization.update', $1, $4, $5)`,
          [principal.orgId, deps.now(), principal.personId, JSON.stringify(before), JSON.stringify(after)],
        )
        return after
      }),
  )
}
