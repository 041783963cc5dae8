import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, describe, expect, it } from 'vitest'
import { readRecords } from '../../src/adapters/cli/read-records.ts'
import { parsePlan } from '../../src/core/plans/parse-plan.ts'
import type { Plan } from '../../src/core/plans/plan.ts'
import { generateCompany, type GenerateOptions } from '../../bench/generate.ts'

const ROOT = join(import.meta.dirname, '../..')
const FILES = ['reps.csv', 'deals.csv', 'activities.csv', 'quotas.csv'] as const
const TINY: GenerateOptions = { seed: 42, reps: 40, deals: 600, activitiesPerRepMonth: 6, year: 2026 }

const dirs: string[] = []
async function generated(options: GenerateOptions): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'followthrough-generate-'))
  dirs.push(dir)
  await generateCompany(options, dir)
  return dir
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

async function examplePlans(): Promise<Plan[]> {
  return Promise.all(
    ['examples/plan.yaml', 'examples/manager-plan.yaml'].map(async (file) => {
      const { plan, issues } = parsePlan(await readFile(join(ROOT, file), 'utf8'), file)
      expect(issues).toEqual([])
      return plan as Plan
    }),
  )
}

function rowsOf(text: string): string[][] {
  return parse(text, { bom: true }) as string[][]
}

describe('generateCompany', () => {
  it('writes the same bytes when run twice with the same seed', async () => {
    // Given two runs with the same options
    const a = await generated(TINY)
    const b = await generated(TINY)
    // Then every file is identical, byte for byte
    for (const file of FILES) {
      expect(await readFile(join(b, file)), file).toEqual(await readFile(join(a, file)))
    }
  })

  it('writes other deals when the seed differs', async () => {
    const a = await generated(TINY)
    const b = await generated({ ...TINY, seed: 43 })
    expect(await readFile(join(b, 'deals.csv'), 'utf8')).not.toEqual(
      await readFile(join(a, 'deals.csv'), 'utf8'),
    )
  })

  it('writes the canonical headers, the asked number of deals and well-formed cells', async () => {
    const dir = await generated(TINY)
    const reps = rowsOf(await readFile(join(dir, 'reps.csv'), 'utf8'))
    const deals = rowsOf(await readFile(join(dir, 'deals.csv'), 'utf8'))
    const activities = rowsOf(await readFile(join(dir, 'activities.csv'), 'utf8'))
    const quotas = rowsOf(await readFile(join(dir, 'quotas.csv'), 'utf8'))
    expect(reps[0]).toEqual(['id', 'name', 'email', 'manager', 'team', 'plan', 'hired_on', 'left_on'])
    expect(deals[0]).toEqual([
      'id',
      'rep',
      'closed_on',
      'type',
      'customer',
      'mrr',
      'term_months',
      'amount',
      'cancelled_on',
    ])
    expect(activities[0]).toEqual(['id', 'rep', 'kind', 'occurred_on'])
    expect(quotas[0]).toEqual(['rep', 'period', 'metric', 'amount'])
    expect(reps).toHaveLength(TINY.reps + 1)
    expect(deals).toHaveLength(TINY.deals + 1)
    expect(activities.length).toBeGreaterThan(1)

    const repIds = new Set(reps.slice(1).map((r) => r[0]))
    for (const [, rep = '', closedOn = '', type = '', , mrr = '', , amount = ''] of deals.slice(1)) {
      // Shares name known reps and add up to exactly 100.00 (in hundredths, no floats).
      const parts = rep.split(';').map((p) => p.split(':'))
      for (const [id] of parts) expect(repIds.has(id)).toBe(true)
      if (parts.length > 1) {
        const hundredths = parts.map(([, share = '']) => Math.round(Number(share) * 100))
        expect(hundredths.reduce((s, h) => s + h, 0)).toBe(10_000)
      }
      expect(closedOn).toMatch(/^2026-\d{2}-\d{2}$|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00(Z|[+-]\d{2}:\d{2})$/)
      expect(['managed', 'project', 'hardware']).toContain(type)
      expect(mrr).toMatch(/^(\d+\.\d{2})?$/)
      expect(amount).toMatch(/^(\d+\.\d{2})?$/)
    }
  })

  it('writes files the CSV reader accepts whole, for the example plans', async () => {
    // Given generated files of the bench profile and the example profile
    const plans = await examplePlans()
    for (const options of [
      TINY,
      { ...TINY, profile: 'example' as const, deals: 120, activitiesPerRepMonth: 20 },
    ]) {
      const dir = await generated(options)
      // When read as `calc` reads them
      const read = await readRecords(
        {
          reps: join(dir, 'reps.csv'),
          deals: join(dir, 'deals.csv'),
          activities: join(dir, 'activities.csv'),
          quotas: join(dir, 'quotas.csv'),
        },
        plans,
      )
      // Then there is no issue in any file
      expect(read.ok ? [] : read.issues).toEqual([])
    }
  })

  it('reproduces the committed example company from its seed', async () => {
    // examples/*.csv were written by `generate.ts --example --seed 7 --out examples`.
    const dir = await generated({
      seed: 7,
      reps: 15,
      deals: 420,
      activitiesPerRepMonth: 330,
      year: 2026,
      profile: 'example',
    })
    for (const file of FILES) {
      expect(await readFile(join(dir, file), 'utf8'), file).toEqual(
        await readFile(join(ROOT, 'examples', file), 'utf8'),
      )
    }
  })
})
