import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { epochDayOf } from '../../core/calendar/civil.ts'
import { ratio } from '../../core/money/rational.ts'
import { formatInputIssue } from '../../core/records/issues.ts'
import { readRecords, type ReadResult } from './read-records.ts'
import { testMetric as metric, testPlan as plan } from '../../../test/support/plan-fixture.ts'

const PLANS = [plan('msp-ae', { metrics: [metric('new_mrr', { kind: 'sum', field: 'mrr' }, true)] })]

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-records-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes each file's text into the temp directory and returns its path. */
async function files<K extends string>(texts: Record<K, string>): Promise<Record<K, string>> {
  const paths = {} as Record<K, string>
  for (const [name, text] of Object.entries(texts) as [K, string][]) {
    paths[name] = join(dir, `${name}.csv`)
    await writeFile(paths[name], text)
  }
  return paths
}

function problems(result: ReadResult): string[] {
  if (result.ok) return []
  return result.issues.map((i) => formatInputIssue(i).replace(dir + '/', ''))
}

const REPS = 'id,plan\nr1,msp-ae\nr2,msp-ae\n'

describe('readRecords', () => {
  it('reads every file when they have a BOM, odd header case and quoted cells with commas and newlines', async () => {
    // Given
    const paths = await files({
      reps: '\uFEFF ID ,Name,PLAN,Hired_On\r\nr1,"Doe, Ann",msp-ae,2025-01-15\r\nr2,Bob,msp-ae,\r\n',
      deals:
        '\uFEFFId,Rep,CLOSED_ON,mrr,Customer,Notes\n' +
        'd1,r1:33.33;r2:33.33;r1x:33.34,2026-01-05,100.00,"Acme, Inc.","line one\nline two"\n' +
        'd2,r2,2026-01-06T09:00:00Z,,"Beta ""B"" Co",\n',
      activities: 'id,rep,kind,occurred_on\na1,r1,call,2026-01-07\n',
      quotas: 'rep,period,metric,amount\nr1,2026-01,new_mrr,4000\n',
    })
    await writeFile(
      paths.reps,
      '\uFEFF ID ,Name,PLAN,Hired_On\r\nr1,"Doe, Ann",msp-ae,2025-01-15\r\nr2,Bob,msp-ae,\r\nr1x,Cy,,\r\n',
    )
    // When
    const result = await readRecords(paths, PLANS)
    // Then
    expect(problems(result)).toEqual([])
    if (!result.ok) return
    const { reps, repIndex, deals, activities, quotas } = result.records
    expect(reps.map((r) => [r.id, r.name, r.plan, r.hiredOn])).toEqual([
      ['r1', 'Doe, Ann', 'msp-ae', epochDayOf(2025, 1, 15)],
      ['r2', 'Bob', 'msp-ae', null],
      ['r1x', 'Cy', null, null],
    ])
    expect(repIndex.get('r1x')).toBe(2)
    expect(deals.id).toEqual(['d1', 'd2'])
    expect([...deals.shareMicro]).toEqual([333_300, 333_300, 333_400, 1_000_000])
    expect([...deals.shareRep]).toEqual([0, 1, 2, 1])
    expect([...deals.mrrMinor]).toEqual([10_000, 0])
    expect(deals.customer).toEqual(['Acme, Inc.', 'Beta "B" Co'])
    expect(deals.extras.get('notes')?.values).toEqual(['line one\nline two', ''])
    expect(activities.length).toBe(1)
    expect(quotas).toEqual([
      { rep: 0, period: { kind: 'month', index: 2026 * 12 }, metric: 'new_mrr', amount: ratio(4000n) },
    ])
  })

  it('reads without activities and quotas when those files are not given', async () => {
    const paths = await files({ reps: REPS, deals: 'id,rep,closed_on\nd1,r1,2026-01-05\n' })
    const result = await readRecords(paths, [])
    expect(result.ok && result.records.activities.length === 0 && result.records.quotas.length === 0).toBe(
      true,
    )
  })

  it('counts physical lines when a quoted cell spans lines', async () => {
    const paths = await files({
      reps: REPS,
      deals:
        'id,rep,closed_on,notes\nd1,r1,2026-01-05,"a\nb\nc"\nd2,r9,2026-01-05,\n\nd3,r9,2026-01-05,"x"\n',
    })
    expect(problems(await readRecords(paths, PLANS))).toEqual([
      'deals.csv:5: unknown rep "r9"',
      'deals.csv:7: unknown rep "r9"',
    ])
  })

  it('counts physical lines when a quoted cell spans CRLF lines', async () => {
    const paths = await files({
      reps: REPS,
      deals:
        'id,rep,closed_on,notes\r\nd1,r1,2026-01-05,"a\r\nb\r\nc"\r\nd2,r9,2026-01-05,"\r\n"\r\nd3,r9,2026-01-05,\r\n',
    })
    expect(problems(await readRecords(paths, PLANS))).toEqual([
      'deals.csv:5: unknown rep "r9"',
      'deals.csv:7: unknown rep "r9"',
    ])
  })

  it('reports a file that cannot be opened at line 0 with its path as given', async () => {
    const paths = await files({ reps: REPS })
    const missing = join(dir, 'nope.csv')
    const result = await readRecords({ reps: paths.reps, deals: missing }, PLANS)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toEqual([{ file: missing, line: 0, message: 'cannot open the file: no such file' }])
  })

  it('reports a directory given as a file at line 0', async () => {
    const paths = await files({ reps: REPS })
    expect(problems(await readRecords({ reps: paths.reps, deals: dir }, PLANS))).toEqual([
      `${dir}:0: cannot open the file: it is a directory`,
    ])
  })

  it('reports malformed CSV at its line and reads on when a record is broken', async () => {
    const paths = await files({
      reps: REPS,
      deals:
        'id,rep,closed_on\nd1,r1,2026-01-05,extra\nd2,r1,2026-01-05\nd3,r"1",2026-01-05\nd4,r9,2026-01-05\nd5,"r1"x,2026-01-05\n',
    })
    expect(problems(await readRecords(paths, PLANS))).toEqual([
      'deals.csv:2: 4 cells, but the header has 3',
      'deals.csv:4: a quote inside an unquoted cell (quote the whole cell and double the quotes inside)',
      'deals.csv:5: unknown rep "r9"',
      'deals.csv:6: text after the closing quote of a cell',
    ])
  })

  it('reports a quoted cell never closed at the line it starts on', async () => {
    const paths = await files({
      reps: REPS,
      deals: 'id,rep,closed_on\nd1,r1,2026-01-05\nd2,r1,"2026-01-05\nd3,r1,2026-01-05\n',
    })
    expect(problems(await readRecords(paths, PLANS))).toEqual(['deals.csv:3: a quoted cell is never closed'])
  })

  it('reports an empty file at line 1 when it has no header', async () => {
    const paths = await files({ reps: REPS, deals: '' })
    expect(problems(await readRecords(paths, PLANS))).toEqual([
      'deals.csv:1: empty file: expected a header row with id, rep, closed_on',
    ])
  })

  it('reports every problem of every file at once when several are bad', async () => {
    const paths = await files({
      reps: 'id,manager\nr1,r2\nr2,r1\nr3,\n',
      deals: 'id,rep,closed_on,amount\nd1,r1:50;r2:49.99,2026-01-05,1.001\nd1,r4,2026-01-05,\n',
      activities: 'id,rep,kind,occurred_on\na1,r5,call,2026-01-05T10:00\n',
      quotas: 'rep,period,metric,amount\nr6,2026-01,new_mrr,1\n',
    })
    expect(problems(await readRecords(paths, PLANS))).toEqual([
      'reps.csv:2: manager cycle: r1 → r2 → r1',
      'deals.csv:2: shares add up to 99.99, not 100',
      'deals.csv:2: amount "1.001" has more than the 2 decimals of USD',
      'deals.csv:3: duplicate id "d1" (also on line 2)',
      'deals.csv:3: unknown rep "r4"',
      'activities.csv:2: unknown rep "r5"',
      'activities.csv:2: occurred_on "2026-01-05T10:00" is a date-time without an offset',
      'quotas.csv:2: unknown rep "r6"',
    ])
  })

  it('keeps the first 100 problems and counts the rest when there are more', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `d${i},r9,2026-01-05\n`).join('')
    const paths = await files({ reps: REPS, deals: `id,rep,closed_on\n${rows}` })
    const result = await readRecords(paths, PLANS)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toHaveLength(100)
    expect(result.more).toBe(50)
    expect(formatInputIssue(result.issues[99]!)).toBe(`${paths.deals}:101: unknown rep "r9"`)
  })
})
