import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent, DEMO_EMAIL, demoServer, signIn, type DemoServer } from './support.ts'

let server: DemoServer
let manager: Agent

beforeAll(async () => {
  server = await demoServer()
  manager = await signIn(server.app, DEMO_EMAIL.manager)
})
afterAll(async () => {
  await server?.close()
})

const HEADER = 'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\n'

describe('POST /api/imports/deals by a manager', () => {
  it('refuses a deal credited to a rep of another team, naming the line, and stores nothing', async () => {
    // Given the manager m1 (team North: r01–r06), a file with a North deal and a South (r08) share
    const csv = `${HEADER}DS1,r01,2026-03-01,project,North Co,,,100.00,\nDS2,r02:50;r08:50,2026-03-02,project,Split Co,,,200.00,\n`
    // When the manager imports it
    const res = await manager.request('POST', '/api/imports/deals', csv, { 'content-type': 'text/csv' })
    // Then the whole file is refused at line 3, and not even DS1 is stored
    expect(res.statusCode, res.body).toBe(422)
    const issues = (res.json() as { issues: { line: number; message: string }[] }).issues
    expect(issues).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/r08 is not one of yours/) }),
    ])
    expect((await manager.request('GET', '/api/deals/DS1')).statusCode).toBe(404)
  })

  it('imports the deals of the reps under the manager', async () => {
    const csv = `${HEADER}DS3,r03,2026-03-03,project,Own Co,,,300.00,\n`
    const res = await manager.request('POST', '/api/imports/deals', csv, { 'content-type': 'text/csv' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ stored: true, counts: { added: 1 } })
  })
})
