import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderStatementPdf } from '../../src/adapters/pdf/statement-pdf.ts'
import { statementPdfInput } from '../../src/adapters/pdf/statement-pdf-input.ts'
import { Agent, DEMO_EMAIL, demoServer, signIn, type DemoServer } from './support.ts'

// The demo company with January and February 2026 closed. r01's January (plan msp-ae, USD):
//   new MRR 5,244.00 of a 4,000.00 goal: 4,000.00 at 100% + 1,244.00 at 150% = 5,866.00 commission
//   projects 14,450.00 at 5% = 722.50; rule pto-at-120 (attainment 131.1%) pays a 500.00 bonus
//   payout 5,866.00 + 722.50 + 500.00 = 7,088.50 USD

let server: DemoServer
let owner: Agent, finance: Agent, manager: Agent, rep: Agent

beforeAll(async () => {
  server = await demoServer()
  owner = await signIn(server.app, DEMO_EMAIL.owner)
  finance = await signIn(server.app, DEMO_EMAIL.finance)
  manager = await signIn(server.app, DEMO_EMAIL.manager)
  rep = await signIn(server.app, DEMO_EMAIL.rep)
}, 120_000)
afterAll(async () => server?.close())

/** The page text of an uncompressed PDFKit file: its hex glyph strings, kerning offsets dropped. */
function pageText(pdf: Buffer): string {
  const raw = pdf.toString('latin1')
  const out: string[] = []
  for (const array of raw.matchAll(/\[([^\]]*)\] TJ/g)) {
    const hex = [...(array[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join('')
    out.push(Buffer.from(hex, 'hex').toString('latin1'))
  }
  return out.join('\n')
}

describe('GET /api/statements/:repId/:period/statement.pdf', () => {
  it('prints the lines, payout, year to date and the ledger head on every page', async () => {
    const json = (await owner.request('GET', '/api/statements/r01/2026-01')).json() as {
      head: { seq: number; hash: string }
    }
    const input = await statementPdfInput(server.db, { orgId: server.orgId, rep: 'r01', period: '2026-01' })
    expect(input.currency).toEqual({ code: 'USD', digits: 2 })
    expect(input.statement.head.hash).toBe(json.head.hash)
    const pdf = await renderStatementPdf(input, { compress: false })
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const text = pageText(pdf)
    expect(text).toContain(`Ledger head ${json.head.seq}: sha256 ${json.head.hash}`)
    expect(text).toContain('7,088.50 USD') // payout, and year to date (January is the year's first)
    expect(text).toContain('5,866.00 USD')
    expect(text).toContain('722.50 USD')
    expect(text).toContain('131.1%')
    expect(text).toContain('pto-at-120: bonus 500.00 USD; pto days 1')
    const pages = Number(/\/Type \/Pages[\s\S]*?\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1])
    expect(pages).toBeGreaterThanOrEqual(1)
    const footers = text
      .split('\n')
      .filter((t) => t.includes(`ledger head ${json.head.seq} sha256 ${json.head.hash}`))
    expect(footers).toHaveLength(pages)
  })

  it('serves the PDF to those who may see the statement, and no one else', async () => {
    for (const agent of [owner, finance, manager, rep]) {
      const res = await agent.request('GET', '/api/statements/r01/2026-01/statement.pdf')
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200)
      expect(res.headers['content-type']).toBe('application/pdf')
      expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    }
    // r07 is on m2's team: not the demo rep's, not the demo manager's (m1) tree
    for (const agent of [rep, manager]) {
      const res = await agent.request('GET', '/api/statements/r07/2026-01/statement.pdf')
      expect(res.statusCode).toBe(403)
    }
    expect((await owner.request('GET', '/api/statements/r07/2026-01/statement.pdf')).statusCode).toBe(200)
    const open = await owner.request('GET', '/api/statements/r01/2026-03/statement.pdf')
    expect(open.statusCode).toBe(409)
  })
})
