import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCommand, type ImportArgs } from '../../src/adapters/cli/import-command.ts'
import type { Io } from '../../src/adapters/cli/main.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'

const path = (p: string): string => fileURLToPath(new URL(p, import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'ft-import-'))

describe('importCommand', () => {
  let db: Database
  // The command closes the database it opens: the test keeps it open until the end.
  const openDb = async (): Promise<Database> => ({ ...db, close: async () => undefined })
  const run = async (args: ImportArgs) => {
    const out = { stdout: '', stderr: '' }
    const io: Io & { stderrIsTTY: boolean } = {
      stdout: (s) => void (out.stdout += s),
      stderr: (s) => void (out.stderr += s),
      isTTY: false,
      stderrIsTTY: false,
    }
    return { status: await importCommand(args, io, openDb), ...out }
  }
  const deals = async (): Promise<number> =>
    Number((await db.query<{ n: number }>('select count(*)::int as n from deals'))[0]?.n)

  beforeAll(async () => {
    db = await testDatabase()
    expect(await run({ kind: 'reps', file: path('../../examples/reps.csv') })).toMatchObject({ status: 0 })
  })
  afterAll(() => db.close())

  it('previews an export through a built-in mapping as an aligned table and stores nothing', async () => {
    const out = await run({
      kind: 'deals',
      file: path('../fixtures/imports/salesforce-opportunities.csv'),
      mapping: 'salesforce-opportunities',
      preview: true,
    })
    expect(out.status).toBe(0)
    const lines = out.stdout.split('\n')
    // columns aligned: each header starts where its values start
    const [header = '', rule = '', first = ''] = lines
    expect(header.indexOf('rep')).toBe(first.indexOf('r01:60;r02:40'))
    expect(header.indexOf('closed_on')).toBe(first.indexOf('2026-01-14'))
    expect(header.indexOf('amount')).toBe(first.indexOf('24000.00'))
    expect(rule).toMatch(/^-{18} {2}-{20} {2}-{10} /)
    expect(out.stdout).toContain(
      'Preview of 6 deals: 6 added, 0 changed, 0 unchanged; 3 export rows left out',
    )
    expect(await deals()).toBe(0)
  })

  it('imports, then reports the same file as unchanged', async () => {
    const args = {
      kind: 'deals',
      file: path('../fixtures/imports/hubspot-deals.csv'),
      mapping: 'hubspot-deals',
    }
    expect((await run(args)).stdout).toMatch(/: 11 added, 0 changed, 0 unchanged; 3 export rows left out/)
    expect((await run(args)).stdout).toMatch(/: 0 added, 0 changed, 11 unchanged/)
  })

  it('exits 1 with every problem as FILE:LINE: message and stores nothing', async () => {
    const file = join(dir, 'deals.csv')
    writeFileSync(
      file,
      'id,rep,closed_on,amount\nB1,r01,2026-01-05,10\nB2,r01,2026-01-05,-5\nB3,nobody,2026-01-05,1\n',
    )
    const before = await deals()
    const out = await run({ kind: 'deals', file })
    expect(out.status).toBe(1)
    expect(out.stderr).toBe(
      `${file}:3: amount -5 is negative\n${file}:4: unknown rep "nobody"\nNothing was stored.\n`,
    )
    expect(await deals()).toBe(before)
  })

  it('reports a user mapping that does not check at its line and column', async () => {
    const mapping = join(dir, 'mine.yaml')
    writeFileSync(
      mapping,
      'kind: deals\ncolumns:\n  id: Id\n  rep: { from: Owner, rep: [nickname] }\n  closed_on: Date\n',
    )
    const out = await run({ kind: 'deals', file: path('../fixtures/imports/hubspot-deals.csv'), mapping })
    expect(out).toMatchObject({ status: 1 })
    expect(out.stderr).toContain(`${mapping}:4:29: "rep" of column rep lists how to recognize a rep`)
  })

  it.each([
    [{ kind: 'leads', file: 'x.csv' }, 'import: "leads" is not reps, deals, activities, quotas'],
    [{ kind: 'deals', file: 'x.csv', mapping: 'pipedrive' }, 'there is no such file, nor a built-in mapping'],
    [
      { kind: 'reps', file: 'x.csv', mapping: 'hubspot-deals' },
      'mapping hubspot-deals reads deals, not reps',
    ],
  ])('exits 2 on wrong usage: %j', async (args, message) => {
    const out = await run(args)
    expect(out.status).toBe(2)
    expect(out.stderr).toContain(message)
  })

  it('exits 1 when the file cannot be opened', async () => {
    const out = await run({ kind: 'deals', file: join(dir, 'missing.csv') })
    expect(out).toMatchObject({
      status: 1,
      stderr: `${join(dir, 'missing.csv')}:0: cannot open the file: no such file\n`,
    })
  })
})
