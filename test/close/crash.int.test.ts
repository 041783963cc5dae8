import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/adapters/db/open-database.ts'
import { closePeriod } from '../../src/app/close/close-period.ts'
import { verifyLedger } from '../../src/app/ledger/ledger.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { example, seed } from '../support/seed.ts'

const bin = new URL('../../bin/followthrough', import.meta.url).pathname
const files = {
  plans: [example('plan.yaml'), example('manager-plan.yaml')],
  reps: example('reps.csv'),
  deals: example('deals.csv'),
  activities: example('activities.csv'),
  quotas: example('quotas.csv'),
}

/** Runs `followthrough close PERIOD --data DIR` and SIGKILLs it after `killAfterMs` (or lets it finish). */
function runClose(dir: string, period: string, killAfterMs: number | null): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'close', period, '--data', dir], {
      env: { ...process.env, DATABASE_URL: '' },
      stdio: 'ignore',
    })
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('exit', (code) => {
      if (timer !== null) clearTimeout(timer)
      resolve(code)
    })
  })
}

async function state(db: Database) {
  const ledger = await db.query<{ n: string; total: string }>(
    `select count(*)::text as n, coalesce(sum(amount_minor), 0)::text as total from ledger_entries where org_id = 'default'`,
  )
  const periods = await db.query(`select key, status from periods where org_id = 'default' order by key`)
  const results = await db.query<{ n: string }>(
    `select count(*)::text as n from results where org_id = 'default'`,
  )
  return { ledger: ledger[0], periods, results: results[0] }
}

// The embedded database is the one a crash can tear; on PostgreSQL a transaction is atomic by the server.
describe.skipIf(process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '')(
  'a close killed with SIGKILL',
  () => {
    it('leaves the whole close or nothing, and runs again to the same state as an uninterrupted close', async () => {
      // The reference: an uninterrupted close in memory.
      const reference = await openDatabase({ url: '', dataDir: mkdtempSync(join(tmpdir(), 'ft-ref-')) })
      await seed(reference, 'default', files)
      await closePeriod(reference, {
        orgId: 'default',
        period: '2026-01',
        actor: 'test',
        now: new Date(),
        dryRun: false,
      })
      const expected = await state(reference)
      await reference.close()

      for (const killAfterMs of [700, 1500, 2300]) {
        const dir = mkdtempSync(join(tmpdir(), 'ft-crash-'))
        try {
          const db = await openDatabase({ url: '', dataDir: dir })
          await seed(db, 'default', files)
          await db.close()
          await runClose(dir, '2026-01', killAfterMs)
          // Either nothing or the whole close is there
          const after = await openDatabase({ url: '', dataDir: dir })
          const mid = await state(after)
          expect([0, 1]).toContain(mid.periods.length)
          if (mid.periods.length === 0) expect(mid.ledger?.n).toBe('0')
          else expect(mid).toEqual(expected)
          expect((await verifyLedger(after, 'default')).ok).toBe(true)
          await after.close()
          // And the close can simply be run again (refused when it had completed)
          if (mid.periods.length === 0) expect(await runClose(dir, '2026-01', null)).toBe(0)
          const final = await openDatabase({ url: '', dataDir: dir })
          expect(await state(final)).toEqual(expected)
          await final.close()
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      }
    }, 240_000)
  },
)
