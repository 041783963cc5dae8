import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../src/adapters/http/context.ts'
import { Agent, DEMO_EMAIL, demoServer, signIn, type DemoServer } from './support.ts'

// The permission matrix of docs/api.md, written out here by hand (not read from the server's own
// tables) so that a route guarded differently from the documentation fails this test. For each
// route: the roles allowed; every other role must get 403, and nobody signed in 401.
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
interface Cell {
  method: Method
  url: string
  body?: unknown
  csv?: boolean
  /** Roles let through (the answer may still be 404 or 409, but never 401 or 403). */
  allowed: readonly Role[]
}

const EVERYONE: readonly Role[] = ['owner', 'admin', 'finance', 'manager', 'rep']
const O_A: readonly Role[] = ['owner', 'admin']
const O_A_F: readonly Role[] = ['owner', 'admin', 'finance']
const O_A_M: readonly Role[] = ['owner', 'admin', 'manager']
const O_A_F_M: readonly Role[] = ['owner', 'admin', 'finance', 'manager']

const PLAN_ONE = 'id: msp-ae'
const CSV =
  'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\nDX1,r01,2026-03-01,project,Permission Test,,,100.00,\n'
const ACTIVITY_CSV = 'id,rep,kind,occurred_on\nAX1,r01,call,2026-03-02\n'
const REP_CSV =
  'id,name,email,manager,team,plan,hired_on,left_on\nrx1,Matrix Rep,rx1@example.com,m1,North,msp-ae,2026-03-01,\n'
const QUOTA_CSV = 'rep,period,metric,amount\nr01,2026-12,new_mrr,100.00\n'

const MATRIX: readonly Cell[] = [
  { method: 'GET', url: '/api/auth/me', allowed: EVERYONE },
  {
    method: 'POST',
    url: '/api/auth/invitations',
    body: { email: 'invitee@example.com', role: 'finance' },
    allowed: O_A,
  },
  { method: 'GET', url: '/api/auth/invitations', allowed: O_A },
  { method: 'DELETE', url: `/api/auth/invitations/${'0'.repeat(64)}`, allowed: O_A },
  { method: 'POST', url: '/api/auth/tokens', body: { name: 'matrix', scopes: ['read'] }, allowed: O_A },
  { method: 'GET', url: '/api/auth/tokens', allowed: O_A },
  { method: 'DELETE', url: '/api/auth/tokens/no-such-token', allowed: O_A },
  { method: 'GET', url: '/api/users', allowed: O_A },
  { method: 'GET', url: '/api/users/no-such-user', allowed: O_A },
  { method: 'PATCH', url: '/api/users/no-such-user', body: {}, allowed: O_A },
  { method: 'GET', url: '/api/reps', allowed: EVERYONE },
  { method: 'GET', url: '/api/reps/r01', allowed: EVERYONE },
  { method: 'GET', url: '/api/teams', allowed: EVERYONE },
  { method: 'GET', url: '/api/plans', allowed: EVERYONE },
  { method: 'GET', url: '/api/plans/msp-ae', allowed: EVERYONE },
  { method: 'GET', url: '/api/plans/msp-ae/versions', allowed: EVERYONE },
  { method: 'GET', url: '/api/plans/msp-ae/diff?from=1&to=1', allowed: EVERYONE },
  { method: 'GET', url: '/api/plans/msp-ae/reps', allowed: EVERYONE },
  { method: 'POST', url: '/api/plans', body: { source: PLAN_ONE }, allowed: O_A },
  { method: 'POST', url: '/api/what-if', body: { source: PLAN_ONE }, allowed: O_A },
  { method: 'GET', url: '/api/what-if/window?plan=msp-ae', allowed: O_A },
  {
    method: 'POST',
    url: '/api/plans/msp-ae/assignments',
    body: { repId: 'r01', from: '2026-01-01' },
    allowed: O_A,
  },
  { method: 'GET', url: '/api/quotas', allowed: EVERYONE },
  { method: 'GET', url: '/api/quotas/grid?year=2026', allowed: O_A_F_M },
  // A closed period (409) and a cell without an override (404): nothing changes whoever asks.
  { method: 'PUT', url: '/api/quotas/r01/2026-01/new_mrr', body: { amount: '1' }, allowed: O_A },
  { method: 'DELETE', url: '/api/quotas/r01/2026-11/new_mrr', allowed: O_A },
  { method: 'GET', url: '/api/deals', allowed: EVERYONE },
  { method: 'GET', url: '/api/deals/D008', allowed: EVERYONE },
  { method: 'GET', url: '/api/activities', allowed: EVERYONE },
  { method: 'POST', url: '/api/imports/deals?preview=true', body: CSV, csv: true, allowed: O_A_M },
  {
    method: 'POST',
    url: '/api/imports/activities?preview=true',
    body: ACTIVITY_CSV,
    csv: true,
    allowed: O_A_M,
  },
  { method: 'POST', url: '/api/imports/reps?preview=true', body: REP_CSV, csv: true, allowed: O_A },
  { method: 'POST', url: '/api/imports/quotas?preview=true', body: QUOTA_CSV, csv: true, allowed: O_A },
  { method: 'GET', url: '/api/imports', allowed: O_A_M },
  { method: 'GET', url: '/api/imports/no-such-import', allowed: O_A_M },
  { method: 'GET', url: '/api/periods', allowed: EVERYONE },
  { method: 'GET', url: '/api/progress', allowed: EVERYONE },
  { method: 'GET', url: '/api/organization', allowed: EVERYONE },
  { method: 'PATCH', url: '/api/organization', body: {}, allowed: O_A },
  { method: 'POST', url: '/api/periods/2026-03/dry-run', allowed: ['owner', 'admin', 'finance', 'manager'] },
  { method: 'POST', url: '/api/periods/2026-03/close', allowed: ['owner', 'admin', 'finance', 'manager'] },
  { method: 'POST', url: '/api/periods/2026-02/reopen', body: { reason: 'matrix' }, allowed: O_A_F },
  { method: 'GET', url: '/api/periods/2026-01/results', allowed: EVERYONE },
  { method: 'GET', url: '/api/periods/2026-01/leaderboard', allowed: EVERYONE },
  { method: 'GET', url: '/api/statements/r01/2026-01', allowed: EVERYONE },
  { method: 'GET', url: '/api/statements/r01/2026-01/statement.pdf', allowed: EVERYONE },
  { method: 'GET', url: '/api/periods/2026-01/payroll.csv', allowed: O_A_F },
  { method: 'POST', url: '/api/periods/2026-01/payouts/approve', allowed: ['owner', 'finance'] },
  { method: 'GET', url: '/api/ledger/verify', allowed: O_A_F },
  { method: 'GET', url: '/api/audit', allowed: O_A_F },
  // Follow-through (unknown ids answer 404 to the roles let through).
  { method: 'GET', url: '/api/outcomes', allowed: EVERYONE },
  { method: 'GET', url: '/api/outcomes/no-such-outcome', allowed: EVERYONE },
  { method: 'POST', url: '/api/outcomes/no-such-outcome/apply', body: { note: 'x' }, allowed: O_A_M },
  { method: 'POST', url: '/api/outcomes/no-such-outcome/waive', body: { reason: 'x' }, allowed: O_A_M },
  { method: 'POST', url: '/api/outcomes/no-such-outcome/approve', allowed: O_A },
  { method: 'POST', url: '/api/outcomes/no-such-outcome/reject', body: { reason: 'x' }, allowed: O_A },
  {
    method: 'POST',
    url: '/api/outcomes/no-such-outcome/decide',
    body: { decision: 'separate' },
    allowed: O_A,
  },
  { method: 'POST', url: '/api/outcomes/check-overdue', allowed: O_A },
  { method: 'GET', url: '/api/coaching', allowed: EVERYONE },
  { method: 'GET', url: '/api/coaching/r01', allowed: EVERYONE },
  {
    method: 'POST',
    url: '/api/coaching/r01/items',
    body: { kind: 'training', title: 'x', dueOn: '2026-03-10' },
    allowed: O_A_M,
  },
  { method: 'POST', url: '/api/coaching/items/no-such-item/complete', body: { notes: 'x' }, allowed: O_A_M },
  { method: 'GET', url: '/api/disputes', allowed: EVERYONE },
  { method: 'GET', url: '/api/statements/r01/2026-01/lines', allowed: EVERYONE },
  {
    method: 'POST',
    url: '/api/disputes',
    body: { ledgerSeq: 999999, message: 'x' },
    allowed: ['manager', 'rep'],
  },
  { method: 'POST', url: '/api/disputes/999/accept', body: { amountMinor: 100 }, allowed: O_A_M },
  { method: 'POST', url: '/api/disputes/999/reject', body: { reason: 'x' }, allowed: O_A_M },
  { method: 'GET', url: '/api/plans/msp-ae/document', allowed: EVERYONE },
  {
    method: 'POST',
    url: '/api/plans/msp-ae/acknowledge',
    body: { name: 'Nobody' },
    allowed: ['manager', 'rep'],
  },
  { method: 'GET', url: '/api/acknowledgements/pending', allowed: EVERYONE },
  { method: 'GET', url: '/api/acknowledgements/status?rep=r01&period=2026-01', allowed: EVERYONE },
  { method: 'GET', url: '/api/reports/follow-through', allowed: O_A_F_M },
  { method: 'GET', url: '/api/reports/unenforced', allowed: O_A_F_M },
  { method: 'GET', url: '/api/reports/after-miss', allowed: O_A_F_M },
  { method: 'GET', url: '/api/reports/under-performers', allowed: O_A_F_M },
  { method: 'GET', url: '/api/notifications', allowed: EVERYONE },
  { method: 'POST', url: '/api/notifications/no-such-note/read', allowed: EVERYONE },
  { method: 'GET', url: '/api/outbox', allowed: O_A },
  { method: 'GET', url: '/api/settings/follow-through', allowed: O_A },
  { method: 'PUT', url: '/api/settings/follow-through', body: {}, allowed: O_A },
  { method: 'POST', url: '/api/auth/logout-all', allowed: EVERYONE },
]

/** Routes anyone may call without signing in. */
const PUBLIC: readonly { method: Method; url: string }[] = [
  { method: 'GET', url: '/api/health' },
  { method: 'GET', url: '/api/ready' },
  { method: 'GET', url: '/api/setup' },
  { method: 'GET', url: '/api/auth/state' },
  { method: 'GET', url: '/api/openapi.json' },
]

let server: DemoServer
const agents = new Map<Role, Agent>()

beforeAll(async () => {
  server = await demoServer()
  for (const role of EVERYONE) agents.set(role, await signIn(server.app, DEMO_EMAIL[role]))
}, 120_000)
afterAll(async () => server?.close())

const send = (agent: Agent, cell: Cell) =>
  agent.request(cell.method, cell.url, cell.body, cell.csv === true ? { 'content-type': 'text/csv' } : {})

describe('the permission matrix', () => {
  for (const cell of MATRIX) {
    describe(`${cell.method} ${cell.url}`, () => {
      it('refuses anyone not signed in with 401', async () => {
        const res = await send(new Agent(server.app, null, null), cell)
        expect(res.statusCode, res.body).toBe(401)
      })
      for (const role of EVERYONE) {
        const allowed = cell.allowed.includes(role)
        it(`${allowed ? 'lets' : 'refuses'} ${role}`, async () => {
          const agent = agents.get(role)
          if (agent === undefined) throw new Error(`no agent for ${role}`)
          server.clock.advance(1000) // two approvals at one instant collide (see the report)
          const res = await send(agent, cell)
          if (allowed) {
            expect([401, 403], `${role}: ${res.body}`).not.toContain(res.statusCode)
            expect(res.statusCode, `${role}: ${res.body}`).toBeLessThan(500)
          } else {
            expect(res.statusCode, `${role}: ${res.body}`).toBe(403)
            expect(res.json()).toMatchObject({ error: { code: 'auth.forbidden' } })
          }
          // Sign out everywhere ended the session: sign in again for the rows after it.
          if (cell.url === '/api/auth/logout-all')
            agents.set(role, await signIn(server.app, DEMO_EMAIL[role]))
        })
      }
    })
  }

  it.each(PUBLIC)('lets anyone call $method $url', async ({ method, url }) => {
    const res = await server.app.inject({ method, url })
    expect(res.statusCode).toBe(200)
  })

  it('covers every route the server has (no route left out of the matrix)', async () => {
    const spec = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>
    }
    const inMatrix = new Set(
      [...MATRIX, ...PUBLIC].map((c) => `${c.method} ${c.url.split('?')[0]?.replace(/\/api/, '') ?? ''}`),
    )
    const mine = Object.entries(spec.paths)
      .filter(([path]) => !path.startsWith('/api/webhooks') && !path.startsWith('/api/jobs'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })))
      // Sign-in routes that act without a session are covered by auth.int.test.ts.
      .filter(
        ({ method, path }) =>
          !(
            method === 'POST' &&
            [
              '/api/setup',
              '/api/auth/login',
              '/api/auth/logout',
              '/api/auth/password-reset',
              '/api/auth/password-reset/confirm',
              '/api/auth/invitations/accept',
            ].includes(path)
          ),
      )
    const missing = mine.filter(({ method, path }) => {
      const pattern = new RegExp(`^${method} ${path.replace(/^\/api/, '').replace(/\{[^}]+\}/g, '[^/]+')}$`)
      return ![...inMatrix].some((entry) => pattern.test(entry))
    })
    expect(missing).toEqual([])
  })
})
