import { z } from 'zod'
import { DomainError } from '../../../core/domain-error.ts'
import { orgTx, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.ts'
import { errors } from '../schemas.ts'
import { requireRepVisible, visibleReps } from '../scope.ts'

const rep = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    team: z.string(),
    manager: z.string().nullable(),
    plan: z.string().nullable(),
    hiredOn: z.string().nullable(),
    leftOn: z.string().nullable(),
  })
  .meta({ id: 'Rep' })

interface RepRow {
  id: string
  name: string
  email: string
  team: string
  manager: string | null
  plan: string | null
  hired_on: unknown
  left_on: unknown
}
const day = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString().slice(0, 10)
      : String(value).slice(0, 10)
const toRep = (r: RepRow): z.infer<typeof rep> => ({
  id: r.id,
  name: r.name,
  email: r.email,
  team: r.team,
  manager: r.manager,
  plan: r.plan,
  hiredOn: day(r.hired_on),
  leftOn: day(r.left_on),
})

/** Reps and teams: everyone for owner, admin and finance; a manager's tree; a rep's own record. */
export async function repRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const preHandler = requireRole(...ROLES)
  app.get(
    '/reps',
    {
      preHandler,
      schema: {
        tags: ['reps'],
        summary: 'Reps you may see, by id',
        querystring: z.object({ ...pageQuery, team: z.string().optional(), manager: z.string().optional() }),
        response: { 200: pageOf(rep), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor, team, manager } = request.query
      const after = decodeCursor(cursor, 1)
      const rows = await orgTx(request, deps, async (tx, principal) =>
        tx.query<RepRow>(
          `select * from reps where org_id = $1 and ($2::text[] is null or id = any($2))
              and ($3::text is null or team = $3) and ($4::text is null or manager = $4) and ($5::text is null or id > $5)
            order by id limit $6`,
          [
            principal.orgId,
            await visibleReps(tx, principal),
            team ?? null,
            manager ?? null,
            after?.[0] ?? null,
            limit + 1,
          ],
        ),
      )
      return toPage(rows, limit, (r) => [r.id], toRep)
    },
  )
  app.get(
    '/reps/:id',
    {
      preHandler,
      schema: {
        tags: ['reps'],
        summary: 'One rep',
        params: z.object({ id: z.string() }),
        response: { 200: rep, ...errors },
      },
    },
    async (request) => {
      const [row] = await orgTx(request, deps, async (tx, principal) => {
        await requireRepVisible(tx, principal, request.params.id)
        return tx.query<RepRow>('select * from reps where org_id = $1 and id = $2', [
          principal.orgId,
          request.params.id,
        ])
      })
      if (row === undefined) throw new DomainError('rep.not_found', `There is no rep "${request.params.id}".`)
      return toRep(row)
    },
  )
  app.get(
    '/teams',
    {
      preHandler,
      schema: {
        tags: ['reps'],
        summary: 'Teams with the reps you may see in each',
        response: {
          200: z.object({ items: z.array(z.object({ name: z.string(), reps: z.array(z.string()) })) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const rows = await orgTx(request, deps, async (tx, principal) =>
        tx.query<{ team: string; id: string }>(
          `select team, id from reps where org_id = $1 and ($2::text[] is null or id = any($2)) order by team, id`,
          [principal.orgId, await visibleReps(tx, principal)],
        ),
      )
      const teams = new Map<string, string[]>()
      for (const r of rows) teams.set(r.team, [...(teams.get(r.team) ?? []), r.id])
      return { items: [...teams].map(([name, reps]) => ({ name, reps })) }
    },
  )
}
