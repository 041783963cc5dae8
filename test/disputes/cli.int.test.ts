import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disputesCommand } from '../../src/adapters/cli/disputes-command.ts'
import type { Io } from '../../src/adapters/cli/main.ts'
import { planCommand } from '../../src/adapters/cli/plan-command.ts'
import { closePeriod } from '../../src/app/close/close-period.ts'
import { statementNotes } from '../../src/app/disputes/statement-notes.ts'
import { publishPlan } from '../../src/app/plans/publish-plan.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { example, seed } from '../support/seed.ts'

let db: Database
// The commands close what they open: they get the test's database with a close that does nothing.
const openDb = async (): Promise<Database> => ({ ...db, close: async () => undefined })

/** Runs `followthrough plan …` or `followthrough disputes …` on the test database. */
async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out = { status: -1, stdout: '', stderr: '' }
  const io: Io = {
    stdout: (s) => void (out.stdout += s),
    stderr: (s) => void (out.stderr += s),
    isTTY: false,
  }
  const program = new Command('followthrough')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
  const done = (status: number): void => void (out.status = status)
  planCommand(program, io, done, openDb)
  disputesCommand(program, io, done, openDb)
  await program.parseAsync(['node', 'followthrough', ...args])
  return out
}

beforeAll(async () => {
  db = await testDatabase()
  await seed(db, 'acme', {
    plans: [],
    reps: 'id,name,manager,plan\nm1,Marcus Bell,,\nr01,Ana Castillo,m1,msp-ae\n',
    deals: 'id,rep,closed_on,type,mrr\nD1,r01,2026-01-10,managed,3000.00\n',
  })
  await publishPlan(db, {
    orgId: 'acme',
    text: example('plan.yaml'),
    file: 'plan.yaml',
    actor: 'test',
    now: new Date('2025-12-20T00:00:00Z'),
  })
  await db.query(
    `insert into plan_assignments (org_id, rep_id, plan_id, valid_from) values ('acme', 'r01', 'msp-ae', '2026-01-01')`,
  )
  await db.query(
    `insert into people (org_id, id, email, name, role, rep_id) values
       ('acme', 'p-m1', 'marcus@example.com', 'Marcus Bell', 'manager', 'm1'),
       ('acme', 'p-r01', 'ana@example.com', 'Ana Castillo', 'rep', 'r01')`,
  )
  await closePeriod(db, {
    orgId: 'acme',
    period: '2026-01',
    actor: 'test',
    now: new Date('2026-02-02T00:00:00Z'),
    dryRun: false,
  })
})
afterAll(() => db.close())

describe('followthrough plan document, acknowledge, unacknowledged', () => {
  it('writes the HTML page and the PDF with the version hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ft-doc-'))
    const html = await run([
      'plan',
      'document',
      'msp-ae',
      '--format',
      'html',
      '--out',
      join(dir, 'plan.html'),
    ])
    expect(html.status).toBe(0)
    const hash = /sha256 ([0-9a-f]{64})/.exec(html.stdout)?.[1] ?? 'none'
    const page = readFileSync(join(dir, 'plan.html'), 'utf8')
    expect(page).toContain(hash)
    expect(page).toContain('Computed for 2026-01.')
    const pdf = await run(['plan', 'document', 'msp-ae', '--format', 'pdf', '--out', join(dir, 'plan.pdf')])
    expect(pdf.status).toBe(0)
    expect(readFileSync(join(dir, 'plan.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect((await run(['plan', 'document', 'msp-ae', '--format', 'pdf'])).status).toBe(2)
    const missing = await run(['plan', 'document', 'msp-ae', '--version', '4'])
    expect([missing.status, missing.stderr]).toEqual([
      1,
      'There is no version 4 of plan msp-ae: it has versions 1 to 1.\n',
    ])
  })

  it('acknowledges as the rep and lists what is left for the manager', async () => {
    expect((await run(['plan', 'unacknowledged', '--as', 'marcus@example.com'])).stdout).toMatch(
      /^r01 \(Ana Castillo\): msp-ae v1 in force/,
    )
    const wrong = await run(['plan', 'acknowledge', 'r01', 'msp-ae', '--name', 'Ana', '--as', 'p-r01'])
    expect(wrong.status).toBe(1)
    expect(wrong.stderr).toContain("is not r01's name")
    const ok = await run(['plan', 'acknowledge', 'r01', 'msp-ae', '--name', 'Ana Castillo', '--as', 'p-r01'])
    expect(ok.status).toBe(0)
    expect(ok.stdout).toMatch(/^r01 acknowledged msp-ae v1 \(sha256 [0-9a-f]{64}\) as "Ana Castillo"/)
    expect((await run(['plan', 'unacknowledged'])).stdout).toBe(
      'Every rep has acknowledged the plan versions they are on.\n',
    )
  })
})

describe('followthrough disputes', () => {
  it('opens as the rep, refuses the rep’s answer, accepts as the manager', async () => {
    const lines = await run(['disputes', 'lines', 'r01', '2026-01'])
    const seq = (await statementNotes(db, { orgId: 'acme', rep: 'r01', period: '2026-01' })).ledgerLines.find(
      (l) => l.rule === 'mrr',
    )?.seq
    expect(lines.stdout).toContain(`${seq}  commission mrr: 3,000.00 USD`)
    expect(
      (
        await run([
          'disputes',
          'open',
          'r01',
          String(seq),
          '--message',
          'D1 was 3,500',
          '--as',
          'ana@example.com',
        ])
      ).stdout,
    ).toBe(`Opened dispute 1 on ledger entry ${seq} (2026-01).\n`)
    const byRep = await run(['disputes', 'accept', '1', '--amount', '500.00', '--as', 'p-r01'])
    expect([byRep.status, byRep.stderr]).toEqual([1, 'A person with the role rep cannot answer a dispute.\n'])
    expect((await run(['disputes', 'accept', '1', '--amount', '5.001'])).status).toBe(2)
    const accepted = await run([
      'disputes',
      'accept',
      '1',
      '--amount',
      '500.00',
      '--reason',
      'CRM was wrong',
      '--as',
      'p-m1',
    ])
    expect(accepted.status).toBe(0)
    expect(accepted.stdout).toMatch(
      /accepted by p-m1 on .*: 500\.00 USD booked in 2026-02 \(ledger entry \d+\): CRM was wrong/,
    )
    const list = await run(['disputes', 'list', '--as', 'p-r01', '--format', 'json'])
    expect(JSON.parse(list.stdout)).toMatchObject([
      { id: 1, state: 'accepted', adjustment: { amountMinor: '50000', period: '2026-02' } },
    ])
  })
})
