import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../test/support/db.ts'
import { formatMoney } from '../../core/money/money.ts'
import { IssueCollector } from '../../core/records/issues.ts'
import { readDeals } from '../../core/records/read-deals.ts'
import type { DealTable, Records } from '../../core/records/records.ts'
import type { Database } from '../ports/sql.ts'
import { loadRecords, type LoadRange } from './load-records.ts'
import { testPlan } from '../../../test/support/plan-fixture.ts'

// loadRecords reads deals and their credits in one join and writes the cells itself (ADR 0013):
// what it returns must be exactly what the deals reader makes of the cells as they were written
// before, one query per table, every credit `rep:percent` in rep order, money by formatMoney.

// A rep id with a comma: no file can hold it unquoted, the database can.
const REPS = ['r1', 'r2', 'r3', 'r4', 'r5,x']

const plan = testPlan('p', { timezone: 'America/Chicago' })

interface StoredDeal {
  readonly credits: readonly (readonly [string, number])[]
  readonly closedOn: string
  readonly amountMinor: bigint
  readonly mrrMinor: bigint
  readonly type: string
  readonly customer: string
  readonly termMonths: number | null
  readonly cancelledOn: string | null
  readonly fields: Record<string, unknown>
}

const pick = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values)
const day = fc.oneof(
  {
    weight: 12,
    arbitrary: pick(
      '2026-01-01',
      '2026-01-15',
      '2026-01-31',
      '2026-02-01',
      '2025-12-31',
      '2026-01-15T10:30:00-05:00',
      '2026-01-31T23:30:00+09:00',
      '2026-02-01T02:00:00Z',
    ),
  },
  { weight: 1, arbitrary: pick('2026-01-15 10:00', '2026-1-5', '2026-02-30') },
)
const money = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.oneof(pick(0n, 5n, 100n, 123_456n, 10n ** 13n), fc.bigInt({ min: 0n, max: 10n ** 12n })),
  },
  { weight: 1, arbitrary: pick(-5n, -123_456n, 10n ** 17n + 1n) },
)
const text = pick('', 'managed', 'hardware', ' padded ', 'a,b', 'Café', '"quoted"', 'line\nbreak')
const share = fc.oneof(
  pick(1_000_000, 500_000, 333_300, 333_333, 1, 250_000),
  fc.integer({ min: 1, max: 1_000_000 }),
)
const fieldValue = fc.oneof(
  pick('west', '', ' 12.50 ', '1,5'),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
)
const fields = fc.oneof(
  { weight: 4, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.dictionary(pick('region', 'score', 'Segment', 'amount', 'rep', 'note'), fieldValue, {
      maxKeys: 3,
    }),
  },
)
const deal: fc.Arbitrary<StoredDeal> = fc.record({
  credits: fc.oneof(
    {
      weight: 8,
      arbitrary: pick<(readonly [string, number])[]>(
        [['r1', 1_000_000]],
        [['r4', 1_000_000]],
        [['r5,x', 1_000_000]],
        [
          ['r2', 600_000],
          ['r1', 400_000],
        ],
        [
          ['r3', 333_400],
          ['r1', 333_300],
          ['r2', 333_300],
        ],
        [
          ['r4', 1],
          ['r2', 999_999],
        ],
      ),
    },
    {
      weight: 1,
      arbitrary: fc.uniqueArray(fc.tuple(fc.constantFrom(...REPS), share), {
        selector: (c) => c[0],
        maxLength: 3,
      }),
    },
  ),
  closedOn: day,
  amountMinor: money,
  mrrMinor: money,
  type: text,
  customer: text,
  termMonths: fc.option(pick(0, 1, 12, 36), { nil: null }),
  cancelledOn: fc.option(day, { nil: null }),
  fields,
})

/** The deals as the loader wrote their cells before ADR 0013, read by the deals reader's `row`. */
function expected(deals: readonly StoredDeal[]): { table: DealTable; issues: unknown[] } {
  const issues = new IssueCollector(100)
  const repIndex = new Map(REPS.map((id, index) => [id, index]))
  const reps = REPS.map((id, index) => ({
    id,
    index,
    name: '',
    email: '',
    team: '',
    manager: null,
    plan: 'p',
    hiredOn: null,
    leftOn: null,
    fields: {},
  }))
  const canonical = [
    'id',
    'rep',
    'closed_on',
    'amount',
    'mrr',
    'type',
    'customer',
    'term_months',
    'cancelled_on',
  ]
  const extras = [...new Set(deals.flatMap((d) => Object.keys(d.fields)))]
    .filter((k) => !canonical.includes(k))
    .sort()
  const reader = readDeals('deals', issues, { reps, repIndex, plans: [plan] })
  reader.header([...canonical, ...extras], 1)
  deals.forEach((d, i) =>
    reader.row(
      [
        idOf(i),
        [...d.credits]
          .sort((a, b) => (a[0] < b[0] ? -1 : 1))
          .map(([rep, micro]) => `${rep}:${String(micro / 10_000)}`)
          .join(';'),
        d.closedOn,
        formatMoney(d.amountMinor, 2),
        formatMoney(d.mrrMinor, 2),
        d.type,
        d.customer,
        d.termMonths === null ? '' : String(d.termMonths),
        d.cancelledOn ?? '',
        ...extras.map((k) => (d.fields[k] === undefined ? '' : String(d.fields[k]))),
      ],
      i + 2,
    ),
  )
  return { table: reader.finish(), issues: issues.list() }
}

const idOf = (i: number): string => `d${String(i).padStart(3, '0')}`

let db: Database
let orgs = 0

beforeAll(async () => {
  db = await testDatabase()
})
afterAll(async () => {
  await db.close()
})

/** A new organization holding these reps and deals. */
async function store(deals: readonly StoredDeal[]): Promise<string> {
  const org = `o${++orgs}`
  await db.query(`insert into organizations (id, name) values ($1, $1)`, [org])
  await db.query(`insert into reps (org_id, id, plan) select $1, id, 'p' from unnest($2::text[]) as id`, [
    org,
    REPS,
  ])
  for (const [i, d] of deals.entries()) {
    await db.query(
      `insert into deals (org_id, id, closed_on, amount_minor, mrr_minor, type, customer, term_months, cancelled_on, fields)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        org,
        idOf(i),
        d.closedOn,
        d.amountMinor,
        d.mrrMinor,
        d.type,
        d.customer,
        d.termMonths,
        d.cancelledOn,
        JSON.stringify(d.fields),
      ],
    )
    for (const [rep, micro] of d.credits)
      await db.query(
        `insert into deal_credits (org_id, deal_id, rep_id, share_micro) values ($1, $2, $3, $4)`,
        [org, idOf(i), rep, micro],
      )
  }
  return org
}

const comparable = (table: DealTable) => ({ ...table, extras: [...table.extras] })

describe('loadRecords', () => {
  it('reads every deal as the deals reader reads its cells written one by one, odd values included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(deal, { maxLength: 12 }), async (deals) => {
        // Given deals stored with their credits
        const org = await store(deals)
        // When they are loaded
        const loaded = await loadRecords(db, org, [plan], '2026-01-31')
        // Then the table (or the issues) are those of the reader fed the cells as written
        const want = expected(deals)
        if (want.issues.length > 0) expect(loaded).toEqual({ ok: false, issues: want.issues })
        else expect(loaded.ok && comparable(loaded.records.deals)).toEqual(comparable(want.table))
      }),
      { numRuns: 60, seed: 13 },
    )
  })

  it('reads only the deals of a range, and only those credited to given reps', async () => {
    // Given deals in and out of January, credited to r1, r2 or both
    const base = {
      closedOn: '2026-01-10',
      amountMinor: 1000n,
      mrrMinor: 0n,
      type: 'managed',
      customer: 'Acme, Inc.',
      termMonths: null,
      cancelledOn: null,
      fields: {},
    }
    const org = await store([
      { ...base, credits: [['r1', 1_000_000]] },
      {
        ...base,
        credits: [
          ['r2', 400_000],
          ['r1', 600_000],
        ],
      },
      { ...base, closedOn: '2026-03-01', credits: [['r1', 1_000_000]] },
      { ...base, credits: [['r2', 1_000_000]] },
    ])
    const range: LoadRange = { from: '2026-01-01', to: '2026-01-31', periods: ['2026-01'], activities: false }
    // When January is loaded, for every rep and for r1
    const all = await loadRecords(db, org, [plan], '2026-01-31', range)
    const r1 = await loadRecords(db, org, [plan], '2026-01-31', { ...range, creditedTo: ['r1'] })
    // Then the deal of March is left out; for r1, the deal of r2 alone too, every credit kept
    const ids = (r: Awaited<ReturnType<typeof loadRecords>>): Records['deals']['id'] =>
      r.ok ? r.records.deals.id : []
    expect(ids(all)).toEqual(['d000', 'd001', 'd003'])
    expect(ids(r1)).toEqual(['d000', 'd001'])
    expect(r1.ok && [...r1.records.deals.shareRep]).toEqual([0, 0, 1])
    expect(r1.ok && [...r1.records.deals.shareMicro]).toEqual([1_000_000, 600_000, 400_000])
    expect(r1.ok && r1.records.deals.customer).toEqual(['Acme, Inc.', 'Acme, Inc.'])
  })
})
