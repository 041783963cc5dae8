import { z } from 'zod'
import { DomainError } from '../../../core/domain-error.ts'
import { orgTx, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.ts'
import { errors, isoOf, localDate } from '../schemas.ts'
import { minorToJson, visibleReps } from '../scope.ts'

const credit = z.object({ repId: z.string(), shareMicro: z.number() })
const deal = z
  .object({
    id: z.string(),
    closedOn: z.string(),
    amountMinor: z.number(),
    mrrMinor: z.number(),
    type: z.string(),
    customer: z.string(),
    termMonths: z.number().nullable(),
    cancelledOn: z.string().nullable(),
    fields: z.record(z.string(), z.unknown()),
    credits: z.array(credit),
    updatedAt: z.string(),
  })
  .meta({ id: 'Deal' })

interface DealRow {
  id: string
  closed_on: string
  amount_minor: bigint
  mrr_minor: bigint
  type: string
  customer: string
  term_months: number | null
  cancelled_on: string | null
  fields: Record<string, unknown>
  updated_at: unknown
  credits: { rep_id: string; share_micro: number }[] | null
}

const toDeal = (r: DealRow): z.infer<typeof deal> => ({
  id: r.id,
  closedOn: r.closed_on,
  amountMinor: minorToJson(BigInt(r.amount_minor)),
  mrrMinor: minorToJson(BigInt(r.mrr_minor)),
  type: r.type,
  customer: r.customer,
  termMonths: r.term_months,
  cancelledOn: r.cancelled_on,
  fields: r.fields,
  credits: (r.credits ?? []).map((c) => ({ repId: c.rep_id, shareMicro: Number(c.share_micro) })),
  updatedAt: isoOf(r.updated_at),
})

// The deals credited to any of the visible reps ($2 null: every deal), with their credits.
const SELECT = `select d.*, (select json_agg(json_build_object('rep_id', c.rep_id, 'share_micro', c.share_micro) order by c.rep_id)
                               from deal_credits c where c.org_id = d.org_id and c.deal_id = d.id) as credits
                  from deals d
                 where d.org_id = $1
                   and ($2::text[] is null or exists (select 1 from deal_credits v where v.org_id = d.org_id and v.deal_id = d.id and v.rep_id = any($2)))`

/** Deals, newest close first, filtered by date, rep, type and customer; within what the principal sees. */
export async function dealRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const preHandler = requireRole(...ROLES)
  app.get(
    '/deals',
    {
      preHandler,
      schema: {
        tags: ['deals'],
        summary: 'Deals, newest close first',
        querystring: z.object({
          ...pageQuery,
          from: localDate.optional().describe('closed on or after this date'),
          to: localDate.optional().describe('closed on or before this date'),
          repId: z.string().optional().describe('credited to this rep'),
          type: z.string().optional(),
          customer: z.string().optional(),
        }),
        response: { 200: pageOf(deal), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor, from, to, repId, type, customer } = request.query
      const after = decodeCursor(cursor, 2)
      const rows = await orgTx(request, deps, async (tx, principal) =>
        tx.query<DealRow>(
          `${SELECT}
             and ($3::text is null or left(d.closed_on, 10) >= $3) and ($4::text is null or left(d.closed_on, 10) <= $4)
             and ($5::text is null or exists (select 1 from deal_credits r where r.org_id = d.org_id and r.deal_id = d.id and r.rep_id = $5))
             and ($6::text is null or d.type = $6) and ($7::text is null or d.customer = $7)
             and ($8::text is null or (d.closed_on, d.id) < ($8, $9::text))
           order by d.closed_on desc, d.id desc limit $10`,
          [
            principal.orgId,
            await visibleReps(tx, principal),
            from ?? null,
            to ?? null,
            repId ?? null,
            type ?? null,
            customer ?? null,
            after?.[0] ?? null,
            after?.[1] ?? null,
            limit + 1,
          ],
        ),
      )
      return toPage(rows, limit, (r) => [r.closed_on, r.id], toDeal)
    },
  )
  app.get(
    '/deals/:id',
    {
      preHandler,
      schema: {
        tags: ['deals'],
        summary: 'One deal with its credits',
        params: z.object({ id: z.string() }),
        response: { 200: deal, ...errors },
      },
    },
    async (request) => {
      const [row] = await orgTx(request, deps, async (tx, principal) =>
        tx.query<DealRow>(`${SELECT} and d.id = $3`, [
          principal.orgId,
          await visibleReps(tx, principal),
          request.params.id,
        ]),
      )
      if (row === undefined)
        throw new DomainError('deal.not_found', `There is no deal "${request.params.id}" you may see.`)
      return toDeal(row)
    },
  )
}
