import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileSource } from '../../src/adapters/import/import-sources.ts'
import { builtInMappings, loadMapping } from '../../src/adapters/import/load-mapping.ts'
import { loadRecords } from '../../src/app/close/load-records.ts'
import { importFile } from '../../src/app/import/import-file.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import type { Mapping } from '../../src/core/imports/mapping.ts'
import { testDatabase } from '../support/db.ts'

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/imports/${name}`, import.meta.url))
const examples = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url))
const now = new Date('2026-04-30T15:00:00Z')

function builtIn(name: string): Mapping {
  const loaded = loadMapping(name)
  if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded)}`)
  return loaded.mapping
}

interface DealRow {
  id: string
  closed_on: string
  amount_minor: bigint
  mrr_minor: bigint
  type: string
  customer: string
  term_months: number | null
  cancelled_on: string | null
  fields: Record<string, string>
  credits: string
}

describe('built-in mappings', () => {
  let db: Database
  const importDeals = (mapping: string) =>
    importFile(db, {
      orgId: 'acme',
      kind: 'deals',
      file: fileSource(fixture(`${mapping}.csv`), `${mapping}.csv`),
      mapping: builtIn(mapping),
      actor: 'ann',
      now,
    })
  const deal = async (id: string): Promise<DealRow | undefined> =>
    (
      await db.query<DealRow>(
        `select d.id, d.closed_on, d.amount_minor, d.mrr_minor, d.type, d.customer, d.term_months, d.cancelled_on, d.fields,
                (select string_agg(rep_id || ':' || share_micro, ';' order by rep_id) from deal_credits c
                  where c.org_id = d.org_id and c.deal_id = d.id) as credits
           from deals d where d.org_id = 'acme' and d.id = $1`,
        [id],
      )
    )[0]

  beforeAll(async () => {
    db = await testDatabase()
    await db.query(
      `insert into organizations (id, name, currency, timezone) values ('acme', 'Acme', 'USD', 'UTC')`,
    )
    const reps = await importFile(db, {
      orgId: 'acme',
      kind: 'reps',
      file: fileSource(examples('reps.csv')),
      actor: 'ann',
      now,
    })
    expect(reps).toMatchObject({ ok: true, counts: { added: 15 } })
  })
  afterAll(() => db.close())

  it('has a sample export for each built-in mapping', () => {
    expect(builtInMappings()).toEqual([
      'autotask-opportunities',
      'connectwise-agreements',
      'connectwise-opportunities',
      'hubspot-deals',
      'salesforce-opportunities',
    ])
  })

  it('imports the HubSpot deals export: Closed Won only, owners by name, dates without their time', async () => {
    expect(await importDeals('hubspot-deals')).toMatchObject({
      ok: true,
      counts: { rows: 11, added: 11, skipped: 3 },
    })
    expect(await deal('15234567801')).toEqual({
      id: '15234567801',
      closed_on: '2026-01-08', // "2026-01-08 15:42"
      amount_minor: 0n, // empty Amount
      mrr_minor: 280600n, // MRR 2806
      type: 'managed', // Pipeline "Managed Services"
      customer: 'Lincoln Law Partners',
      term_months: 36,
      cancelled_on: null,
      fields: { deal_type: 'new', source: 'hubspot' },
      credits: 'r01:1000000', // Ana Castillo
    })
    expect(await deal('15234567808')).toMatchObject({
      amount_minor: 1438800n,
      credits: 'r12:1000000',
      type: 'hardware',
    }) // "$14,388.00"
    expect(await deal('15234567802')).toMatchObject({ amount_minor: 1845050n, type: 'project' }) // "18450.5"
    expect(await deal('15234567814')).toMatchObject({ type: 'Advisory', credits: 'r02:1000000' }) // unmapped pipeline kept
    expect(await deal('15234567804')).toBeUndefined() // Closed Lost
  })

  it('imports the Salesforce report with splits as one deal per opportunity, crediting each split owner', async () => {
    expect(await importDeals('salesforce-opportunities')).toMatchObject({
      ok: true,
      counts: { rows: 6, added: 6, skipped: 3 }, // an overlay split, a lost and an open opportunity
    })
    expect(await deal('0065g00000QxA1bAAF')).toMatchObject({
      closed_on: '2026-01-14',
      amount_minor: 2400000n, // "$24,000.00" on each split row
      type: 'new',
      customer: 'Northgate Manufacturing',
      credits: 'r01:600000;r02:400000', // 60.00% Ana Castillo, 40.00% Ben Okafor
      fields: { lead_source: 'Partner Referral', source: 'salesforce' },
    })
    expect(await deal('0065g00000QxD9eAAF')).toMatchObject({
      amount_minor: 4125000n,
      credits: 'r08:500000;r09:250000;r10:250000',
    })
    expect(await deal('0065g00000QxG8hAAF')).toMatchObject({
      closed_on: '2026-03-03',
      credits: 'r11:700000;r12:300000',
    })
  })

  it('imports ConnectWise Manage opportunities, Won only, ids prefixed', async () => {
    expect(await importDeals('connectwise-opportunities')).toMatchObject({
      ok: true,
      counts: { added: 8, skipped: 3 },
    })
    expect(await deal('cw-opp-1042')).toMatchObject({
      closed_on: '2026-01-09',
      amount_minor: 120000n, // "$1,200.00"
      mrr_minor: 280600n, // "$2,806.00"
      type: 'managed',
      credits: 'r01:1000000',
      fields: { expected_close: '2026-01-15', source: 'connectwise' },
    })
    expect(await deal('cw-opp-1049')).toMatchObject({
      type: 'hardware',
      amount_minor: 432000n,
      credits: 'r11:1000000',
    })
  })

  it('imports ConnectWise Manage agreements as recurring deals with their cancellations', async () => {
    expect(await importDeals('connectwise-agreements')).toMatchObject({
      ok: true,
      counts: { added: 8, skipped: 2 },
    })
    expect(await deal('cw-agr-314')).toMatchObject({
      closed_on: '2026-01-01',
      cancelled_on: '2026-03-15',
      amount_minor: 0n,
      mrr_minor: 95000n,
      credits: 'r04:1000000',
    })
    expect(await deal('cw-agr-316')).toMatchObject({ type: 'block', mrr_minor: 60000n })
    expect(await deal('cw-agr-315')).toBeUndefined() // an internal agreement
  })

  it('imports Autotask opportunities, Closed and Implemented, with Excel-style date-times', async () => {
    expect(await importDeals('autotask-opportunities')).toMatchObject({
      ok: true,
      counts: { added: 7, skipped: 3 },
    })
    expect(await deal('at-29001')).toMatchObject({
      closed_on: '2026-01-28', // "1/28/2026 4:12 PM"
      amount_minor: 250000n,
      mrr_minor: 420000n,
      type: 'managed',
      credits: 'r05:1000000',
      fields: { title: 'Managed services onboarding', total_revenue: '153700.00', source: 'autotask' },
    })
    expect(await deal('at-29005')).toMatchObject({ closed_on: '2026-02-27', amount_minor: 985075n }) // 11:45 PM
    expect(await deal('at-29008')).toMatchObject({ closed_on: '2026-03-19', credits: 'r12:1000000' }) // date only
  })

  it('changes nothing when each export is imported again, and the stored deals read back as calc reads them', async () => {
    for (const name of builtInMappings()) {
      const again = await importDeals(name)
      expect(again.ok && again.counts.added + again.counts.changed, name).toBe(0)
    }
    expect(await db.query(`select * from deal_history where org_id = 'acme'`)).toEqual([])
    const read = await loadRecords(db, 'acme', [], '2026-04-30')
    expect(read.ok && read.records.deals.length).toBe(11 + 6 + 8 + 8 + 7)
  })
})
