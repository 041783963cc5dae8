import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCoachingCommands } from '../../src/adapters/cli/coaching-command.ts'
import type { Io } from '../../src/adapters/cli/main.ts'
import { addOutcomesCommands } from '../../src/adapters/cli/outcomes-command.ts'
import { listOutcomes } from '../../src/app/followthrough/list-outcomes.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { as, closeMonths, seedExample } from './setup.ts'

describe('followthrough outcomes and coaching (CLI)', () => {
  let db: Database
  // The commands close the database they open: the test keeps it open until the end.
  const openDb = async (): Promise<Database> => ({ ...db, close: async () => undefined })
  const run = async (...args: string[]) => {
    const out = { stdout: '', stderr: '', status: -1 }
    const io: Io = {
      stdout: (s) => void (out.stdout += s),
      stderr: (s) => void (out.stderr += s),
      isTTY: false,
    }
    const program = new Command('followthrough')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    addOutcomesCommands(program, io, openDb, (s) => (out.status = s))
    addCoachingCommands(program, io, openDb, (s) => (out.status = s))
    await program.parseAsync(['node', 'followthrough', ...args])
    return out
  }
  beforeAll(async () => {
    db = await testDatabase()
    await seedExample(db, 'acme')
    await closeMonths(db, 'acme', ['2026-01', '2026-02', '2026-03'], new Date('2026-04-01T12:00:00Z'))
    process.env.FOLLOWTHROUGH_ACTOR = 'operator'
  })
  afterAll(async () => {
    delete process.env.FOLLOWTHROUGH_ACTOR
    await db.close()
  })

  it('lists items as a table with short ids, filtered by state, period and rep', async () => {
    const due = await listOutcomes(db, {
      orgId: 'acme',
      actor: as.admin,
      now: new Date(),
      state: 'due',
      period: '2026-01',
    })
    const out = await run('outcomes', '--state', 'due', '--period', '2026-01')
    expect(out.status).toBe(0)
    const lines = out.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^id\s+period\s+rep\s+rule\s+effect\s+owner\s+due\s+state$/)
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(due.map((o) => o.id.slice(0, 8)))
    expect(lines[1]).toContain('2026-02-07')
    const json = await run('outcomes', '--rep', 'r04', '--format', 'json')
    expect((JSON.parse(json.stdout) as { repId: string }[]).every((o) => o.repId === 'r04')).toBe(true)
  })

  it('waives with a second approver, refusing the requester, and shows the history', async () => {
    const [o] = await listOutcomes(db, {
      orgId: 'acme',
      actor: as.admin,
      now: new Date(),
      state: 'due',
      period: '2026-02',
    })
    if (o === undefined) throw new Error('no due item')
    const short = o.id.slice(0, 8)
    expect(await run('outcomes', 'waive', short, '--reason', 'Territory changed mid-month')).toMatchObject({
      status: 0,
    })
    const self = await run('outcomes', 'approve', short)
    expect(self.status).toBe(1)
    expect(self.stderr).toMatch(/operator asked for this waiver; a second person must approve it/)
    expect((await run('outcomes', 'approve', short, '--as', 'rita')).stderr).toMatch(
      /A rep can never approve/,
    )
    const approved = await run('outcomes', 'approve', short, '--as', 'olga')
    expect(approved).toMatchObject({ status: 0 })
    expect(approved.stdout).toMatch(/asked by operator, approved by olga/)
    const history = await run('outcomes', 'history', short)
    expect(
      history.stdout
        .split('\n')
        .slice(1, 4)
        .map((l) => l.split(/\s+/).slice(2, 4)),
    ).toEqual([
      ['closer', 'open'],
      ['operator', 'waive.request'],
      ['olga', 'waive.approve'],
    ])
  })

  it('applies with JSON detail, refuses bad JSON and a rep', async () => {
    const o = (
      await listOutcomes(db, { orgId: 'acme', actor: as.admin, now: new Date(), state: 'due' })
    ).find((x) => x.effect === 'pto_days')
    if (o === undefined) throw new Error('no PTO item')
    const id = o.id.slice(0, 8)
    expect((await run('outcomes', 'apply', id, '--note', 'x', '--detail', '{days')).stderr).toMatch(
      /--detail is not JSON/,
    )
    expect((await run('outcomes', 'apply', id, '--note', 'x', '--as', 'rita')).status).toBe(1)
    const applied = await run(
      'outcomes',
      'apply',
      id,
      '--note',
      'Granted',
      '--detail',
      '{"days":1,"exported":"BambooHR 2291"}',
    )
    expect(applied).toMatchObject({ status: 0 })
    expect((await run('outcomes', '--state', 'applied', '--rep', o.repId)).stdout).toContain(
      'applied by operator',
    )
  })

  it('marks overdue once', async () => {
    const first = await run('outcomes', 'check-overdue')
    expect(first.status).toBe(0)
    expect(first.stdout).toMatch(/^Newly overdue on \d{4}-\d{2}-\d{2}:\nid/)
    expect((await run('outcomes', 'check-overdue')).stdout).toMatch(/^Nothing newly overdue/)
  })

  it('schedules, shows and completes coaching items', async () => {
    expect(
      await run(
        'coaching',
        'schedule',
        'r03',
        '--kind',
        'check_in',
        '--title',
        'Pipeline review',
        '--due',
        '2026-04-10',
        '--as',
        'mia',
      ),
    ).toMatchObject({ status: 0 })
    const show = await run('coaching', 'show', 'r03', '--as', 'mia')
    expect(show.stdout).toMatch(
      /The coaching program "Managed services selling" runs in 2026-04 through 2026-05/,
    )
    const item = /\n([0-9a-f]{8})\s+check_in\s+Pipeline review\s+2026-04-10/.exec(show.stdout)?.[1]
    expect(item).toBeDefined()
    expect(
      await run('coaching', 'complete', item ?? '', '--notes', 'Two new opportunities', '--as', 'mia'),
    ).toMatchObject({ status: 0 })
    const list = await run('coaching', 'list')
    expect(list.stdout).toMatch(
      /r03\s+Managed services selling\s+2026-03\s+2026-05\s+attainment.new_mrr >= 0.9\s+open\s+1\/1/,
    )
  })
})
