import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { textSource } from '../../src/adapters/import/import-sources.ts'
import { importFile } from '../../src/app/import/import-file.ts'
import { progressReport } from '../../src/app/progress/progress.ts'
import { formatFixed } from '../../src/core/money/rational.ts'
import { type Agent, DEMO_EMAIL, type DemoServer, demoServer, signIn } from '../http/support.ts'

interface Item {
  rep: string
  metrics: { metric: string; value: string; attainment: string | null }[]
  earnedSoFarMinor: number
}

let server: DemoServer
let rep: Agent
let manager: Agent

beforeAll(async () => {
  server = await demoServer() // January and February closed; the clock on March 2
  rep = await signIn(server.app, DEMO_EMAIL.rep)
  manager = await signIn(server.app, DEMO_EMAIL.manager)
}, 300_000)

afterAll(async () => {
  await server?.close()
})

const items = async (agent: Agent, url: string): Promise<Item[]> => {
  const res = await agent.request('GET', url)
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { items: Item[] }).items
}

/** A fresh report (the one engine, no cache) in the route's JSON terms. */
const fresh = async (): Promise<Item[]> =>
  (await progressReport(server.db, { orgId: server.orgId, now: server.clock.now() })).reps.map((r) => ({
    rep: r.rep,
    metrics: r.metrics.map((m) => ({
      metric: m.metric,
      value: formatFixed(m.value, 4),
      attainment: m.attainment === null ? null : formatFixed(m.attainment, 4),
    })),
    earnedSoFarMinor: Number(r.earnedSoFarMinor),
  }))

const shape = (list: Item[]) =>
  list.map((i) => ({
    rep: i.rep,
    metrics: i.metrics.map((m) => ({ metric: m.metric, value: m.value, attainment: m.attainment })),
    earnedSoFarMinor: i.earnedSoFarMinor,
  }))

describe('GET /api/progress through the progress cache', () => {
  it('shows a deal that arrived on the very next request, for the rep and in the manager’s team', async () => {
    const before = await items(rep, '/api/progress')
    expect(before.map((i) => i.rep)).toEqual(['r01'])
    const team = await items(manager, '/api/progress')
    expect(team.length).toBeGreaterThan(1)
    expect(shape(team)).toEqual((await fresh()).filter((f) => team.some((t) => t.rep === f.rep)))

    const mrrOf = (list: Item[]) =>
      Number(list.find((i) => i.rep === 'r01')?.metrics.find((m) => m.metric === 'new_mrr')?.value)
    const out = await importFile(server.db, {
      orgId: server.orgId,
      kind: 'deals',
      file: textSource(
        'crm.csv',
        'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\n' +
          'DW1,r01,2026-03-02,managed,Prairie Dental,1000.00,12,,\n',
      ),
      actor: 'crm',
      now: server.clock.now(),
    })
    expect(out.ok).toBe(true)

    const after = await items(rep, '/api/progress')
    expect(mrrOf(after)).toBe(mrrOf(before) + 1000)
    const teamAfter = await items(manager, '/api/progress')
    expect(mrrOf(teamAfter)).toBe(mrrOf(before) + 1000)
    // every figure of the team, the manager's own (team metrics) included, as a fresh report has it
    expect(shape(teamAfter)).toEqual((await fresh()).filter((f) => teamAfter.some((t) => t.rep === f.rep)))
  })

  it('still refuses a rep outside the manager’s tree and an unknown rep', async () => {
    const outside = await manager.request('GET', '/api/progress?rep=r99')
    expect(outside.statusCode).toBe(403)
    const owner = await signIn(server.app, DEMO_EMAIL.owner)
    const unknown = await owner.request('GET', '/api/progress?rep=nobody')
    expect(unknown.statusCode, unknown.body).toBe(404)
  })

  // Last: signing out everywhere ends the shared manager's session too.
  it('serves kept progress only to a live session: after sign-out or sign-out everywhere, 401', async () => {
    const own = await signIn(server.app, DEMO_EMAIL.rep)
    await items(own, '/api/progress') // kept for this version
    await items(own, '/api/progress') // served from what is kept
    expect((await own.request('POST', '/api/auth/logout')).statusCode).toBe(200)
    expect((await own.request('GET', '/api/progress')).statusCode).toBe(401)

    await items(manager, '/api/progress')
    const elsewhere = await signIn(server.app, DEMO_EMAIL.manager)
    expect((await elsewhere.request('POST', '/api/auth/logout-all')).statusCode).toBe(200)
    expect((await manager.request('GET', '/api/progress')).statusCode).toBe(401)
    expect(await items(rep, '/api/progress')).toHaveLength(1)
  })
})
