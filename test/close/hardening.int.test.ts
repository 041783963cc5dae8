import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'

const ORG = 'hard'

describe('migration 0003: hardening', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
    await db.query(`insert into organizations (id, name) values ($1, $1)`, [ORG])
  }, 60_000)
  afterAll(() => db.close())

  it('stores one result per plan for a rep on two plans in one close', async () => {
    for (const plan of ['ae', 'spiffs']) {
      await db.query(
        `insert into results (org_id, close_id, plan_id, plan_version, period, rep_id, computed, result, payout_minor, balance_minor)
         values ($1, 'c1', $2, 1, '2026-01', 'r1', true, '{}', 100, 0)`,
        [ORG, plan],
      )
    }
    await expect(
      db.query(
        `insert into results (org_id, close_id, plan_id, plan_version, period, rep_id, computed, result, payout_minor, balance_minor)
         values ($1, 'c1', 'ae', 1, '2026-01', 'r1', true, '{}', 100, 0)`,
        [ORG],
      ),
    ).rejects.toThrow()
  })

  it.each([
    [
      'ledger_heads',
      `insert into ledger_heads (org_id, close_id, seq, hash, created_at) values ($1, 'c1', 1, 'h', now())`,
    ],
    ['audit_log', `insert into audit_log (org_id, actor, action) values ($1, 'ann', 'x')`],
    [
      'rep_history',
      `insert into rep_history (org_id, rep_id, changed_at, changed_by) values ($1, 'r1', now(), 'ann')`,
    ],
    [
      'deal_history',
      `insert into deal_history (org_id, deal_id, changed_at, changed_by) values ($1, 'd1', now(), 'ann')`,
    ],
    [
      'activity_history',
      `insert into activity_history (org_id, activity_id, changed_at, changed_by) values ($1, 'a1', now(), 'ann')`,
    ],
    [
      'quota_history',
      `insert into quota_history (org_id, rep_id, period, metric, changed_at, changed_by) values ($1, 'r1', '2026-01', 'm', now(), 'ann')`,
    ],
    [
      'payout_approvals',
      `insert into payout_approvals (org_id, period, approved_by, approved_at, close_id) values ($1, '2026-01', 'fin', now(), 'c1')`,
    ],
  ])('refuses to update or delete rows of %s', async (table, insert) => {
    // Given a row
    await db.query(insert, [ORG])
    // When it is changed or deleted, Then the trigger refuses
    await expect(db.query(`update ${table} set org_id = org_id where org_id = $1`, [ORG])).rejects.toThrow(
      /append-only/,
    )
    await expect(db.query(`delete from ${table} where org_id = $1`, [ORG])).rejects.toThrow(/append-only/)
    const [left] = await db.query<{ n: number }>(
      `select count(*)::int as n from ${table} where org_id = $1`,
      [ORG],
    )
    expect(left?.n).toBe(1)
  })
})
