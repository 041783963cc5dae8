import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command, CommanderError } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Io } from '../../src/adapters/cli/main.ts'
import { planCommand } from '../../src/adapters/cli/plan-command.ts'
import {
  diffPlanVersions,
  getPlanVersion,
  latestPlans,
  listPlans,
  listRepsOnPlan,
  planForRepOn,
} from '../../src/app/plans/plan-store.ts'
import { assignPlan, publishPlan } from '../../src/app/plans/publish-plan.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { EXAMPLE_PLAN_YAML } from '../../src/core/plans/example-plan.ts'
import { testDatabase } from '../support/db.ts'

const now = new Date('2026-11-26T10:00:00Z')
const ORG = 'acme'

/** The spec's example as plan `id`, with each `[before, after]` text replaced once. */
function planText(id: string, ...edits: [string, string][]): string {
  return edits.reduce(
    (text, [before, after]) => {
      expect(text).toContain(before)
      return text.replace(before, after)
    },
    EXAMPLE_PLAN_YAML.replace('id: msp-ae', `id: ${id}`),
  )
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

describe('plan store', () => {
  let db: Database
  const publish = (text: string, file = 'plan.yaml') =>
    db.transaction((tx) => publishPlan(tx, { orgId: ORG, text, file, actor: 'ann', now }))
  const assign = (repId: string, planId: string, from: string) =>
    db.transaction((tx) => assignPlan(tx, { orgId: ORG, repId, planId, from, actor: 'ann', now }))
  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await db.query<{ n: number }>(`select count(*)::int as n ${sql}`, params))[0]?.n ?? -1

  beforeAll(async () => {
    db = await testDatabase()
    await db.query(`insert into organizations (id, name) values ($1, 'Acme')`, [ORG])
    for (const rep of ['r1', 'r2', 'r3', 'r4'])
      await db.query(`insert into reps (org_id, id, name) values ($1, $2, $2)`, [ORG, rep])
  }, 60_000) // PGlite starts and migrates in about 10 s on a loaded machine
  afterAll(() => db.close())

  it('stores one version when the same text is published twice', async () => {
    // Given / When
    const text = planText('twice')
    const first = await publish(text)
    const second = await publish(text)
    // Then
    const same = { ok: true, planId: 'twice', version: 1, hash: sha256(text), effectiveFrom: '2026-01-01' }
    expect(first).toEqual({ ...same, unchanged: false })
    expect(second).toEqual({ ...same, unchanged: true })
    expect(await count('from plan_versions where org_id = $1 and plan_id = $2', [ORG, 'twice'])).toBe(1)
    expect(await count(`from audit_log where action = 'plan.publish' and subject = $1`, ['twice'])).toBe(1)
  })

  it('stores version 2 and the diff lists the change when the text changes', async () => {
    // Given
    const v1 = planText('changed')
    const v2 = planText('changed', ['new_mrr: 4000', 'new_mrr: 4500'])
    await publish(v1)
    // When
    const out = await publish(v2)
    // Then
    expect(out).toMatchObject({ ok: true, version: 2, unchanged: false })
    const latest = await getPlanVersion(db, ORG, 'changed')
    expect(latest).toMatchObject({
      version: 2,
      latestVersion: 2,
      hash: sha256(v2),
      source: v2,
      format: 'yaml',
    })
    expect(latest?.plan.id).toBe('changed')
    expect((await getPlanVersion(db, ORG, 'changed', 1))?.source).toBe(v1)
    expect((await diffPlanVersions(db, ORG, 'changed', 1, 2)).changes).toEqual([
      'The new_mrr goal goes from 4,000.00 USD to 4,500.00 USD.',
    ])
    expect((await diffPlanVersions(db, ORG, 'changed', 2, 2)).changes).toEqual([])
    await expect(diffPlanVersions(db, ORG, 'changed', 1, 3)).rejects.toThrow(
      'There is no version 3 of plan changed: it has versions 1 to 2.',
    )
  })

  it('stores a new version, with no change in meaning, when only comments change', async () => {
    await publish(planText('comments'))
    const out = await publish(planText('comments', ['# optional; `to` optional', '# may be left out']))
    expect(out).toMatchObject({ ok: true, version: 2, unchanged: false })
    expect((await diffPlanVersions(db, ORG, 'comments', 1, 2)).changes).toEqual([])
  })

  it('stores nothing and returns the issues when the plan has errors', async () => {
    // Given a plan with a rate that is not a number
    const text = planText('broken', ['rate: 5%', 'rate: lots'])
    const before = await count('from audit_log where org_id = $1', [ORG])
    // When
    const out = await publish(text, 'broken.yaml')
    // Then
    expect(out.ok).toBe(false)
    expect(out.ok ? [] : out.issues.map((i) => [i.file, i.line])).toEqual([['broken.yaml', 33]])
    expect(await count('from plans where org_id = $1 and id = $2', [ORG, 'broken'])).toBe(0)
    expect(await count('from plan_versions where org_id = $1 and plan_id = $2', [ORG, 'broken'])).toBe(0)
    expect(await count('from audit_log where org_id = $1', [ORG])).toBe(before)
  })

  it('closes the open assignment the day before a new one starts', async () => {
    // Given r1 on plan first from January
    await publish(planText('first'))
    await publish(planText('second'))
    await assign('r1', 'first', '2026-01-01')
    // When r1 moves to plan second from April
    await assign('r1', 'second', '2026-04-01')
    // Then
    const rows = await db.query(
      `select plan_id, valid_from, valid_to from plan_assignments where org_id = $1 and rep_id = 'r1' order by valid_from`,
      [ORG],
    )
    expect(rows).toEqual([
      { plan_id: 'first', valid_from: '2026-01-01', valid_to: '2026-03-31' },
      { plan_id: 'second', valid_from: '2026-04-01', valid_to: null },
    ])
    expect(await listRepsOnPlan(db, ORG, 'second')).toEqual([
      { repId: 'r1', planId: 'second', validFrom: '2026-04-01', validTo: null },
    ])
    expect(await count(`from audit_log where action = 'plan.assign' and subject = 'r1'`, [])).toBe(2)
  })

  it.each([
    { refused: 'a start before the open assignment', rep: 'r2', plan: 'first', from: '2026-01-15' },
    { refused: 'an unknown rep', rep: 'r99', plan: 'first', from: '2026-06-01' },
    { refused: 'an unknown plan', rep: 'r2', plan: 'nope', from: '2026-06-01' },
  ])('refuses $refused and changes nothing', async ({ rep, plan, from }) => {
    await publish(planText('first'))
    if ((await planForRepOn(db, ORG, 'r2', '2026-03-01')) === null) await assign('r2', 'first', '2026-02-01')
    const before = await db.query('select * from plan_assignments order by rep_id, valid_from')
    await expect(assign(rep, plan, from)).rejects.toMatchObject({ code: expect.stringMatching(/^plan\./) })
    expect(await db.query('select * from plan_assignments order by rep_id, valid_from')).toEqual(before)
  })

  it('picks the assignment and the version that apply on a date', async () => {
    // Given r3 on dated from January, then on other from May; dated v2 effective from March
    await publish(planText('dated'))
    await publish(planText('dated', ['effective: { from: 2026-01-01 }', 'effective: { from: 2026-03-01 }']))
    await publish(planText('other'))
    await assign('r3', 'dated', '2026-01-01')
    await assign('r3', 'other', '2026-05-01')
    const on = async (date: string) => {
      const found = await planForRepOn(db, ORG, 'r3', date)
      return found === null ? null : [found.assignment.planId, found.version?.version ?? null]
    }
    // When / Then
    expect(await on('2025-12-31')).toBeNull()
    expect(await on('2026-02-28')).toEqual(['dated', 1])
    expect(await on('2026-03-01')).toEqual(['dated', 2])
    expect(await on('2026-04-30')).toEqual(['dated', 2])
    expect(await on('2026-05-01')).toEqual(['other', 1])
    await expect(planForRepOn(db, ORG, 'r3', '2026-02-30')).rejects.toMatchObject({ code: 'plan.bad_date' })
  })

  it('lists every plan with its latest version', async () => {
    await publish(planText('listed'))
    await publish(planText('listed', ['calls: 250', 'calls: 300']))
    const listed = (await listPlans(db, ORG)).find((p) => p.id === 'listed')
    expect(listed).toMatchObject({ latestVersion: 2, publishedBy: 'ann', repCount: 0 })
    expect(listed?.publishedAt).toBe(now.toISOString())
    const latest = (await latestPlans(db, ORG)).find((p) => p.id === 'listed')
    expect(latest?.quotas.get('calls')).toEqual({ n: 300n, d: 1n })
  })

  describe('followthrough plan', () => {
    let dir: string
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'plan-command-'))
    })
    afterAll(() => rm(dir, { recursive: true, force: true }))

    async function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
      const out = { status: 0, stdout: '', stderr: '' }
      const io: Io = { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s), isTTY: false }
      const program = new Command('followthrough')
        .exitOverride()
        .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      // The command closes what it opens: hand it the test database with a close that keeps it open.
      planCommand(
        program,
        io,
        (s) => (out.status = s),
        () => Promise.resolve({ ...db, close: async () => {} }),
      )
      try {
        await program.parseAsync(args, { from: 'user' })
      } catch (error) {
        if (!(error instanceof CommanderError)) throw error
        out.status = 2
      }
      return out
    }
    const file = async (name: string, text: string): Promise<string> => {
      await writeFile(join(dir, name), text)
      return join(dir, name)
    }

    it('prints every problem as FILE:LINE:COL and stores nothing when the plan has errors', async () => {
      const bad = await file('bad.yaml', planText('cli-bad', ['rate: 5%', 'rate: lots']))
      const out = await cli('plan', 'publish', bad)
      expect(out.status).toBe(1)
      expect(out.stdout).toBe('')
      expect(out.stderr).toMatch(new RegExp(`^${bad}:33:\\d+: .+\\n$`))
      expect(await count('from plans where id = $1', ['cli-bad'])).toBe(0)
      expect(await cli('plan', 'publish', join(dir, 'missing.yaml'))).toMatchObject({
        status: 1,
        stderr: `${join(dir, 'missing.yaml')}: cannot read the plan: no such file\n`,
      })
    })

    it('publishes, says when nothing changed, and states what a new version changes', async () => {
      const v1 = planText('cli')
      const v2 = planText('cli', ['gate: 50%', 'gate: 60%'])
      expect(await cli('plan', 'publish', await file('cli.yaml', v1))).toEqual({
        status: 0,
        stdout: `Published cli v1 (sha256 ${sha256(v1)}), effective from 2026-01-01.\n`,
        stderr: '',
      })
      expect((await cli('plan', 'publish', join(dir, 'cli.yaml'))).stdout).toBe(
        'cli v1 is already published with this text; nothing changed.\n',
      )
      expect((await cli('plan', 'publish', await file('cli.yaml', v2))).stdout).toBe(
        `Published cli v2 (sha256 ${sha256(v2)}), effective from 2026-01-01.\nChanges from v1:\n  - The gate on mrr moves from 50% to 60%.\n`,
      )
      expect((await cli('plan', 'diff', 'cli', '1', '2')).stdout).toBe(
        'cli v1 → v2:\n  - The gate on mrr moves from 50% to 60%.\n',
      )
      expect((await cli('plan', 'diff', 'cli', '2', '2')).stdout).toBe('cli v2 → v2: no change in meaning.\n')
      expect(await cli('plan', 'diff', 'cli', '1', '7')).toMatchObject({
        status: 1,
        stderr: 'There is no version 7 of plan cli: it has versions 1 to 2.\n',
      })
      expect((await cli('plan', 'diff', 'cli', 'one', '2')).status).toBe(2)
    })

    it('shows a version with its hash, publisher and reps, and assigns reps', async () => {
      await cli('plan', 'publish', await file('shown.yaml', planText('shown')))
      expect(await cli('plan', 'assign', 'r4', 'shown', '--from', '2026-02-01')).toEqual({
        status: 0,
        stdout: 'r4 is on shown from 2026-02-01.\n',
        stderr: '',
      })
      const out = await cli('plan', 'show', 'shown', '--version', '1')
      expect(out.status).toBe(0)
      expect(out.stdout).toContain(`version 1 (the latest), sha256 ${sha256(planText('shown'))}\n`)
      expect(out.stdout).toContain('  reps on it: r4 (from 2026-02-01)\n')
      expect(out.stdout).toContain('  - The mrr commission pays at most 12,000.00 USD a month.\n')
      expect((await cli('plan', 'show')).stdout).toMatch(
        /^shown +v1 +Account Executive, Managed Services — 1 rep,/m,
      )
      expect((await cli('plan', 'show', 'nope')).stderr).toBe('There is no published plan "nope".\n')
      expect((await cli('plan', 'assign', 'r4', 'shown', '--from', '2026-02-30')).status).toBe(2)
      expect(await cli('plan', 'assign', 'r99', 'shown', '--from', '2026-03-01')).toMatchObject({
        status: 1,
        stderr: 'There is no rep "r99".\n',
      })
    })
  })
})
