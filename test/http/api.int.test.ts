import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertPerson } from '../../src/app/auth/people.ts'
import { withOrgScope } from '../../src/app/ports/org-scope.ts'
import { Agent, DEMO_EMAIL, demoServer, signIn, type DemoServer } from './support.ts'

let server: DemoServer
let owner: Agent, manager: Agent, rep: Agent

beforeAll(async () => {
  server = await demoServer()
  owner = await signIn(server.app, DEMO_EMAIL.owner)
  manager = await signIn(server.app, DEMO_EMAIL.manager)
  rep = await signIn(server.app, DEMO_EMAIL.rep)
}, 120_000)
afterAll(async () => server?.close())

interface Page<T> {
  items: T[]
  nextCursor: string | null
}

async function allPages<T>(agent: Agent, url: string): Promise<T[]> {
  const items: T[] = []
  for (let cursor: string | null = null, pages = 0; pages < 100; pages++) {
    const res = await agent.request(
      'GET',
      `${url}${url.includes('?') ? '&' : '?'}${cursor === null ? '' : `cursor=${cursor}`}`,
    )
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json() as Page<T>
    items.push(...page.items)
    if (page.nextCursor === null) return items
    cursor = page.nextCursor
  }
  throw new Error('too many pages')
}

describe('who sees what', () => {
  it("shows a manager the manager's tree and a rep only the rep", async () => {
    const ids = async (agent: Agent) =>
      (await allPages<{ id: string }>(agent, '/api/reps?limit=4')).map((r) => r.id)
    expect(await ids(manager)).toEqual(['m1', 'r01', 'r02', 'r03', 'r04', 'r05', 'r06'])
    expect(await ids(rep)).toEqual(['r01'])
    expect((await ids(owner)).length).toBe(15)
    expect((await rep.request('GET', '/api/reps/r02')).statusCode).toBe(403)
    expect((await manager.request('GET', '/api/reps/r07')).statusCode).toBe(403)
    expect((await manager.request('GET', '/api/statements/r07/2026-01')).statusCode).toBe(403)
    expect((await manager.request('GET', '/api/statements/r02/2026-01')).statusCode).toBe(200)
  })

  it("gives a rep only the rep's own deals, results and statement", async () => {
    // 46 deals of examples/deals.csv credit r01, alone or split.
    const deals = await allPages<{ credits: { repId: string }[] }>(rep, '/api/deals?limit=20')
    expect(deals.length).toBe(46)
    expect(deals.every((d) => d.credits.some((c) => c.repId === 'r01'))).toBe(true)
    const results = (await rep.request('GET', '/api/periods/2026-01/results')).json() as {
      items: { repId: string }[]
    }
    expect(results.items.map((r) => r.repId)).toEqual(['r01'])
    expect((await rep.request('GET', '/api/statements/r01/2026-01')).statusCode).toBe(200)
    expect((await rep.request('GET', '/api/statements/r02/2026-01')).statusCode).toBe(403)
  })

  it('shows every rep attainment on the leaderboard, never pay', async () => {
    const res = await rep.request('GET', '/api/periods/2026-01/leaderboard?metric=new_mrr')
    const board = res.json() as { items: { rank: number; repId: string; attainment: string | null }[] }
    expect(board.items.length).toBeGreaterThan(10)
    expect(board.items.map((e) => e.rank)).toEqual(board.items.map((_, i) => i + 1))
    const values = board.items.map((e) => Number(e.attainment ?? -1))
    expect(values).toEqual([...values].sort((a, b) => b - a))
    expect(res.body).not.toMatch(/payout|balance|amount|lines/i)
  })
})

describe('lists', () => {
  it('walk every deal once through the cursor, newest close first', async () => {
    const deals = await allPages<{ id: string; closedOn: string }>(owner, '/api/deals?limit=37')
    expect(deals.length).toBe(420)
    expect(new Set(deals.map((d) => d.id)).size).toBe(420)
    const keys = deals.map((d) => `${d.closedOn} ${d.id}`)
    expect(keys).toEqual([...keys].sort().reverse())
  })

  it('filter deals by rep and dates and activities by rep and kind', async () => {
    const feb = await allPages<{ closedOn: string }>(
      owner,
      '/api/deals?repId=r01&from=2026-02-01&to=2026-02-28',
    )
    expect(feb.length).toBe(4)
    const meetings = await allPages<{ repId: string; kind: string }>(
      owner,
      '/api/activities?repId=r01&kind=meeting&limit=500',
    )
    expect(meetings.length).toBe(481)
    expect(meetings.every((a) => a.repId === 'r01' && a.kind === 'meeting')).toBe(true)
  })

  it('filter the audit log by an action prefix', async () => {
    const entries = await allPages<{ action: string }>(owner, '/api/audit?action=period.')
    expect(entries.length).toBeGreaterThanOrEqual(2)
    expect(entries.every((e) => e.action.startsWith('period.'))).toBe(true)
  })
})

describe('changes', () => {
  it('preview an import without storing it, then commit it as a multipart upload', async () => {
    const csv =
      'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\nDN1,r01,2026-03-01,project,New Customer,,,1500.00,\n'
    const preview = await owner.request('POST', '/api/imports/deals?preview=true', csv, {
      'content-type': 'text/csv',
    })
    expect(preview.statusCode, preview.body).toBe(200)
    expect(preview.json()).toMatchObject({
      ok: true,
      stored: false,
      counts: { added: 1 },
      preview: { rows: [expect.arrayContaining(['DN1'])] },
    })
    expect((await owner.request('GET', '/api/deals/DN1')).statusCode).toBe(404)
    const boundary = 'ftboundary'
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="new.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`
    const commit = await owner.request('POST', '/api/imports/deals', body, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    })
    expect(commit.statusCode, commit.body).toBe(200)
    expect(commit.json()).toMatchObject({ stored: true, counts: { added: 1 } })
    expect((await owner.request('GET', '/api/deals/DN1')).json()).toMatchObject({ amountMinor: 150000 })
  })

  it('refuse a bad file with every problem and its line, storing nothing', async () => {
    const csv =
      'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\nDB1,nobody,2026-03-01,project,X,,,10.00,\nDB2,r01,not-a-date,project,Y,,,10.00,\n'
    const res = await owner.request('POST', '/api/imports/deals', csv, { 'content-type': 'text/csv' })
    expect(res.statusCode).toBe(422)
    const issues = (res.json() as { issues: { line: number }[] }).issues
    expect(issues.map((i) => i.line)).toEqual([2, 3])
    expect((await owner.request('GET', '/api/deals/DB2')).statusCode).toBe(404)
  })

  it('publish a plan version, summarize it and tell what changed', async () => {
    const current = (await owner.request('GET', '/api/plans/msp-ae')).json() as {
      source: string
      version: number
      summary: string[]
    }
    expect(current.summary.length).toBeGreaterThan(0)
    const bad = await owner.request('POST', '/api/plans', { source: `${current.source}\nnot_a_key: 1\n` })
    expect(bad.statusCode).toBe(422)
    expect(bad.json()).toMatchObject({
      error: {
        code: 'plan.invalid',
        details: { issues: [expect.objectContaining({ message: expect.any(String) as string })] },
      },
    })
    const renamed = current.source.replace(/^name: .*$/m, 'name: Account Executive (renamed)')
    const published = await owner.request('POST', '/api/plans', { source: renamed })
    expect(published.statusCode, published.body).toBe(201)
    expect(published.json()).toMatchObject({
      planId: 'msp-ae',
      version: current.version + 1,
      unchanged: false,
    })
    const again = await owner.request('POST', '/api/plans', { source: renamed })
    expect(again.json()).toMatchObject({ unchanged: true })
    const diff = (
      await owner.request('GET', `/api/plans/msp-ae/diff?from=${current.version}&to=${current.version + 1}`)
    ).json() as { changes: string[] }
    expect(diff.changes.join(' ')).toContain('renamed')
  })

  it("dry-runs a period for a manager with only the tree's reps", async () => {
    const res = await manager.request('POST', '/api/periods/2026-02/dry-run')
    expect(res.statusCode, res.body).toBe(409) // February is closed
    const march = await manager.request('POST', '/api/periods/2026-03/dry-run')
    expect(march.statusCode, march.body).toBe(200)
    const reps = (
      march.json() as { result: { plans: { periods: { reps: { rep: string }[] }[] }[] } }
    ).result.plans.flatMap((p) => p.periods.flatMap((x) => x.reps.map((r) => r.rep)))
    expect(reps.length).toBeGreaterThan(0)
    expect(reps.every((r) => ['m1', 'r01', 'r02', 'r03', 'r04', 'r05', 'r06'].includes(r))).toBe(true)
  })

  it('exports payroll as CSV and records who changed a user, with before and after', async () => {
    const csv = await owner.request('GET', '/api/periods/2026-01/payroll.csv')
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body.split('\n')[0]).toBe('rep,email,period,currency,amount,approved,ledger_head')
    const users = (await owner.request('GET', '/api/users')).json() as {
      items: { id: string; email: string }[]
    }
    const target = users.items.find((u) => u.email === DEMO_EMAIL.finance)
    const unbound = await owner.request('PATCH', `/api/users/${target?.id ?? ''}`, { role: 'rep' })
    expect(unbound.json()).toMatchObject({ error: { code: 'auth.rep_required' } })
    const patched = await owner.request('PATCH', `/api/users/${target?.id ?? ''}`, { role: 'admin' })
    expect(patched.json()).toMatchObject({ role: 'admin' })
    const [entry] = (await owner.request('GET', '/api/audit?action=user.update')).json().items as {
      before: { role: string }
      after: { role: string }
    }[]
    expect([entry?.before.role, entry?.after.role]).toEqual(['finance', 'admin'])
  })
})

describe('organizations kept apart', () => {
  it("refuses another organization's records even by their ids", async () => {
    await server.db.query(`insert into organizations (id, name) values ('other', 'Other Co')`)
    await server.db.query(`insert into reps (org_id, id, name) values ('other', 'zz1', 'Zed')`)
    await server.db.query(
      `insert into deals (org_id, id, closed_on, amount_minor) values ('other', 'DZ1', '2026-01-05', 100)`,
    )
    await server.db.query(
      `insert into deal_credits (org_id, deal_id, rep_id, share_micro) values ('other', 'DZ1', 'zz1', 1000000)`,
    )
    await withOrgScope(server.db, 'other', (tx) =>
      insertPerson(tx, {
        orgId: 'other',
        email: 'boss@other.example',
        name: 'Boss',
        role: 'owner',
        repId: null,
        password: 'other-password-1',
        now: server.clock.now(),
      }),
    )
    expect((await owner.request('GET', '/api/reps/zz1')).statusCode).toBe(404)
    expect((await owner.request('GET', '/api/deals/DZ1')).statusCode).toBe(404)
    const theirs = await signIn(server.app, 'boss@other.example', 'other-password-1')
    expect(
      ((await theirs.request('GET', '/api/reps')).json() as Page<{ id: string }>).items.map((r) => r.id),
    ).toEqual(['zz1'])
    expect((await theirs.request('GET', '/api/deals/D008')).statusCode).toBe(404)
    expect(((await theirs.request('GET', '/api/users')).json() as { items: unknown[] }).items.length).toBe(1)
  })
})

describe('OpenAPI', () => {
  it('describes every route with OpenAPI 3.1, its parameters and its error body', async () => {
    const spec = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      openapi: string
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>
    }
    expect(spec.openapi).toBe('3.1.0')
    expect(spec.paths['/api/deals']?.get?.responses).toHaveProperty('4XX')
    expect(spec.paths['/api/plans']?.post?.requestBody).toBeDefined()
    const docs = await server.app.inject({ method: 'GET', url: '/api/docs/' })
    expect(docs.statusCode).toBe(200)
    expect(docs.body).toContain('swagger')
  })
})
