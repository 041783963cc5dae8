// The web app in a real browser (issue 6's performance goals): the generated company (1,000 reps
// by default, on the plans of examples/) loaded into a fresh PostgreSQL schema with set-based SQL,
// the twelve months of 2026 closed, January 2027 open with its first 19 days of deals; the real
// server (buildServer with web/dist, on a free loopback port) in this process; Debian's Chromium
// through playwright-core. Measures the first meaningful render of the rep home and the manager's
// team board, the what-if over 12 months, and the JavaScript the sign-in page loads (gzip).
//
//   node --import tsx bench/web-bench.ts                      1,000 reps, 200,000 deals
//   WEB_BENCH_QUICK=1 node --import tsx bench/web-bench.ts    100 reps, 5,000 deals
//   WEB_BENCH_REPS=… WEB_BENCH_DEALS=…                         any size
//   WEB_BENCH_SCHEMA=name                                     keep the loaded, closed company in
//                                                             that schema and reuse it next time
//                                                             (drop it by hand when done)
//
// PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). Needs web/dist
// (`npm run build`).
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser } from 'playwright-core'
import { migrate } from '../src/adapters/db/migrate.ts'
import { openPostgres } from '../src/adapters/db/postgres-database.ts'
import { buildServer } from '../src/adapters/http/build-server.ts'
import { WEB_DIST } from '../src/adapters/http/web-app.ts'
import { insertPerson } from '../src/app/auth/people.ts'
import { closePeriod } from '../src/app/close/close-period.ts'
import { publishPlan } from '../src/app/plans/publish-plan.ts'
import { withOrgScope } from '../src/app/ports/org-scope.ts'
import { whatIfRecordsCacheOf } from '../src/app/what-if/records-cache.ts'
import { load } from './close-bench.ts'
import { GENERATOR_VERSION, generateCompany } from './generate.ts'
import { grouped, seconds, table } from './harness/format.ts'
import { clickAt, seenAt, watchFor } from './harness/page-timing.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ORG = 'bench'
const NOW = new Date('2027-01-20T15:00:00Z')
const CLOSED = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)
const PASSWORD = 'bench-password-1'
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const WEB_GOALS = { renderMs: 1000, whatIfMs: 2000, jsGzipBytes: 300 * 1024 } as const

export interface WebBenchResult {
  readonly rows: { reps: number; deals: number; credits: number; activities: number }
  readonly closeSeconds: number
  /** The server's first GET /api/progress after start (the whole organization computed), ms. */
  readonly firstProgressMs: number
  readonly team: { manager: string; reps: number; rep: string }
  /** From navigation start to the first metric card (rep) / the team table (manager), ms: first load, then the best of 3 reloads. */
  readonly repHome: { first: number; warm: number }
  readonly managerBoard: { first: number; warm: number }
  /**
   * The what-if, ms: `ms` a POST with nothing read before (the server just started); `again` a
   * second POST with another draft; `page` in the browser from the click on Run to the first row
   * of the per-rep table, on a page opened with nothing cached (its window was prepared meanwhile:
   * `prepareMs` from opening the page until it said so).
   */
  readonly whatIf: {
    ms: number
    reps: number
    periods: number
    again: number
    page: { prepareMs: number; runMs: number }
  }
  readonly js: { files: number; rawBytes: number; gzipBytes: number }
}

const say = (text: string): void => void process.stderr.write(`… ${text}\n`)

async function signIn(base: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  })
  if (res.status !== 200) throw new Error(`sign-in of ${email}: ${res.status} ${await res.text()}`)
  const session = /ft_session=([^;]+)/.exec(res.headers.getSetCookie().join('; '))?.[1]
  if (session === undefined) throw new Error('no session cookie')
  return { cookie: session, csrf: ((await res.json()) as { csrfToken: string }).csrfToken }
}

/**
 * ms from navigation start until the first frame with `selector` in it (see `watchFor`); first
 * load, then the best of 3 reloads.
 */
async function renderTime(
  browser: Browser,
  base: string,
  session: string,
  selector: string,
): Promise<{ first: number; warm: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  await context.addCookies([{ name: 'ft_session', value: session, url: base }])
  await context.addInitScript({ content: watchFor(selector) })
  const page = await context.newPage()
  const once = async (): Promise<number> => {
    await page.goto(`${base}/#/`, { waitUntil: 'commit' })
    const seen = await seenAt(page, selector)
    // The panels asked after the first render (the team board's flags) finish before the next
    // measure starts: their work on the server is not counted against it.
    await page.waitForLoadState('networkidle')
    return seen
  }
  const first = await once()
  const warm: number[] = []
  for (let i = 0; i < 3; i++) {
    await page.goto('about:blank')
    warm.push(await once())
  }
  await context.close()
  return { first, warm: Math.min(...warm) }
}

/**
 * The owner opens the What-if page in a new browser context, waits until it says which window it
 * will run over (the server has read its records by then), changes the cap as a person would, and
 * runs: ms from navigation to that sentence, and from the click to the first row of the per-rep table.
 */
async function whatIfInBrowser(
  browser: Browser,
  base: string,
  signedIn: { cookie: string; csrf: string },
): Promise<{ prepareMs: number; runMs: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  await context.addCookies([
    { name: 'ft_session', value: signedIn.cookie, url: base },
    { name: 'ft_csrf', value: signedIn.csrf, url: base },
  ])
  const page = await context.newPage()
  await page.goto(`${base}/#/what-if`, { waitUntil: 'commit' })
  await page.getByTestId('what-if-window').waitFor({ timeout: 120_000 })
  const prepareMs = await page.evaluate(() => performance.now())
  const editor = page.getByLabel(/^Plan \(/)
  const source = await editor.inputValue()
  if (!source.includes('cap: 12000')) throw new Error('the editor does not show msp-ae with its cap')
  await editor.fill(source.replace('cap: 12000', 'cap: 16000'))
  await page.getByText('The plan checks.').waitFor()
  // The click, and the first frame with a row of the per-rep table, in the page's clock.
  const row = 'section.what-if table tbody tr'
  await page.evaluate(watchFor(row))
  const start = await clickAt(page, 'Run the what-if')
  const runMs = (await seenAt(page, row)) - start
  await context.close()
  return { prepareMs, runMs }
}

/** The JavaScript files the sign-in page loads, sized raw and gzip-compressed (level 9) from web/dist. */
async function firstPageJs(browser: Browser, base: string): Promise<WebBenchResult['js']> {
  const context = await browser.newContext()
  const page = await context.newPage()
  const scripts = new Set<string>()
  page.on('response', (res) => {
    const path = new URL(res.url()).pathname
    if (path.endsWith('.js') || path.endsWith('.mjs')) scripts.add(path)
  })
  await page.goto(`${base}/`, { waitUntil: 'networkidle' })
  await page.getByLabel('Email').waitFor()
  await context.close()
  let rawBytes = 0
  let gzipBytes = 0
  for (const path of scripts) {
    const file = readFileSync(join(WEB_DIST, path))
    rawBytes += file.length
    gzipBytes += gzipSync(file, { level: 9 }).length
  }
  return { files: scripts.size, rawBytes, gzipBytes }
}

/** Generates (once) the company of this size, measures, and returns the report lines. */
export async function runWebBench(opts: {
  seed: number
  reps: number
  deals: number
}): Promise<{ lines: string[]; result: WebBenchResult }> {
  // Other work on the machine skews every figure: say how busy it was when the bench began.
  const loadAtStart = loadavg()[0] ?? 0
  if (!existsSync(join(WEB_DIST, 'index.html')))
    throw new Error('web/dist is missing: run `npm run build` first')
  const dir = join(ROOT, 'bench/out', `s${opts.seed}-r${opts.reps}-d${opts.deals}-a10-g${GENERATOR_VERSION}`)
  const marker = join(dir, 'generated.json')
  if (!existsSync(marker)) {
    say(`generating ${grouped(opts.reps)} reps and ${grouped(opts.deals)} deals into ${dir}`)
    const made = await generateCompany(
      { seed: opts.seed, reps: opts.reps, deals: opts.deals, activitiesPerRepMonth: 10, year: 2026 },
      dir,
    )
    writeFileSync(marker, JSON.stringify(made, null, 2))
  }
  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
  const kept = process.env.WEB_BENCH_SCHEMA
  if (kept !== undefined && !/^[a-z_][a-z0-9_]*$/.test(kept))
    throw new Error('WEB_BENCH_SCHEMA must be a lower-case SQL name')
  const schema = kept ?? `web_bench_${randomBytes(4).toString('hex')}`
  const admin = await openPostgres(url)
  const [ready] = await admin.query<{ ready: boolean }>(
    `select exists (select 1 from information_schema.tables where table_schema = $1 and table_name = 'bench_ready') as ready`,
    [schema],
  )
  const reuse = kept !== undefined && ready?.ready === true
  if (!reuse) {
    if (kept !== undefined) await admin.exec(`drop schema if exists ${schema} cascade`)
    await admin.exec(`create schema ${schema}`)
  }
  const db = await openPostgres(url, schema)
  let app: Awaited<ReturnType<typeof buildServer>> | undefined
  let browser: Browser | undefined
  try {
    let rows: WebBenchResult['rows']
    let closeSeconds = Number.NaN
    let t: number
    if (reuse) {
      const [kept] = await db.query<{ rows: WebBenchResult['rows'] }>(`select rows from bench_ready`)
      if (kept === undefined) throw new Error(`schema ${schema} is not ready`)
      rows = kept.rows
      say(`reusing the closed company in schema ${schema}`)
    } else {
      await migrate(db)
      rows = await load(db, dir)
      // January 2027 (open): the first 19 days of January 2026 again, a year later.
      await db.exec(`
      insert into deals (org_id, id, closed_on, amount_minor, mrr_minor, type, customer, term_months, cancelled_on)
        select org_id, 'n-' || id, '2027' || substr(closed_on, 5), amount_minor, mrr_minor, type, customer, term_months, null
          from deals where closed_on between '2026-01-01' and '2026-01-19';
      insert into deal_credits (org_id, deal_id, rep_id, share_micro)
        select c.org_id, 'n-' || c.deal_id, c.rep_id, c.share_micro from deal_credits c
          join deals d on d.org_id = c.org_id and d.id = c.deal_id
         where d.closed_on between '2026-01-01' and '2026-01-19';
      insert into activities (org_id, id, rep_id, kind, occurred_on)
        select org_id, 'n-' || id, rep_id, kind, '2027' || substr(occurred_on, 5) from activities
         where occurred_on between '2026-01-01' and '2026-01-19';
      analyze;`)
      for (const file of ['plan.yaml', 'manager-plan.yaml']) {
        const path = join(ROOT, 'examples', file)
        const text = readFileSync(path, 'utf8').replace(/effective:.*\n/, '')
        const published = await db.transaction((tx) =>
          publishPlan(tx, {
            orgId: ORG,
            text,
            file: path,
            actor: 'bench',
            now: new Date('2025-12-01T00:00:00Z'),
          }),
        )
        if (!published.ok) throw new Error(`examples/${file} does not check`)
      }
      t = performance.now()
      for (const period of CLOSED) {
        await closePeriod(db, { orgId: ORG, period, actor: 'bench', now: NOW, dryRun: false })
        say(`closed ${period}`)
      }
      closeSeconds = (performance.now() - t) / 1000
    }

    const [team] = await db.query<{ manager: string; reps: number; first: string }>(
      `select r.manager, count(*)::int as reps, min(r.id) as first from reps r
        where r.org_id = $1 and r.manager is not null and r.left_on is null
        group by r.manager having bool_and(r.plan = 'msp-ae') order by count(*) desc, r.manager limit 1`,
      [ORG],
    )
    if (team === undefined) throw new Error('no first-line manager in the generated company')
    if (!reuse)
      await withOrgScope(db, ORG, async (tx) => {
        const person = (role: 'rep' | 'manager' | 'owner', repId: string | null) =>
          insertPerson(tx, {
            orgId: ORG,
            email: `${role}@bench.example`,
            name: `Bench ${role}`,
            role,
            repId,
            password: PASSWORD,
            now: NOW,
          })
        await person('rep', team.first)
        await person('manager', team.manager)
        await person('owner', null)
      })
    if (kept !== undefined && !reuse) {
      await db.exec(`create table bench_ready (rows jsonb not null)`)
      await db.query(`insert into bench_ready (rows) values ($1::jsonb)`, [JSON.stringify(rows)])
    }

    app = await buildServer({ db, now: () => NOW })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const rep = await signIn(base, 'rep@bench.example')
    const manager = await signIn(base, 'manager@bench.example')
    const owner = await signIn(base, 'owner@bench.example')
    // The server's first progress request computes the open period for the whole organization; a
    // running server has done that long before anyone opens a page, so it is timed on its own.
    t = performance.now()
    const warm = await fetch(`${base}/api/progress`, { headers: { cookie: `ft_session=${manager.cookie}` } })
    if (warm.status !== 200) throw new Error(`progress answered ${warm.status}: ${await warm.text()}`)
    await warm.arrayBuffer()
    const firstProgressMs = performance.now() - t
    say(`first progress request: ${firstProgressMs.toFixed(0)} ms`)

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    })
    say('the JavaScript of the sign-in page')
    const js = await firstPageJs(browser, base)
    say(`the rep home of ${team.first}`)
    const repHome = await renderTime(browser, base, rep.cookie, 'section.card h2[id^="metric-"]')
    say(`the team board of ${team.manager} (${team.reps} reps)`)
    const managerBoard = await renderTime(browser, base, manager.cookie, 'main table tbody tr')

    say(
      'the what-if in the browser: open the page (nothing read before), change the cap, run, until the per-rep table',
    )
    const page = await whatIfInBrowser(browser, base, owner)
    // The POST is timed with nothing kept from the page's run: the records are read again.
    whatIfRecordsCacheOf(db).clear()
    say('the what-if over 12 months, nothing read before (a POST)')
    const plan = readFileSync(join(ROOT, 'examples/plan.yaml'), 'utf8').replace(/effective:.*\n/, '')
    const post = async (draft: string): Promise<{ ms: number; reps: number; periods: number }> => {
      const start = performance.now()
      const res = await fetch(`${base}/api/what-if`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: `ft_session=${owner.cookie}`,
          'x-csrf-token': owner.csrf,
        },
        body: JSON.stringify({ source: draft, months: 12 }),
      })
      const body = (await res.json()) as {
        result: { reps: unknown[]; periods: string[] } | null
        issues: unknown[]
      }
      const ms = performance.now() - start
      if (res.status !== 200 || body.result === null)
        throw new Error(`the what-if answered ${res.status}: ${JSON.stringify(body).slice(0, 2000)}`)
      return { ms, reps: body.result.reps.length, periods: body.result.periods.length }
    }
    const cold = await post(plan.replace('cap: 12000', 'cap: 15000'))
    say('the what-if again, another draft (the records read by the first kept)')
    const again = await post(plan.replace('cap: 12000', 'cap: 18000'))

    const result: WebBenchResult = {
      rows,
      closeSeconds,
      firstProgressMs,
      team: { manager: team.manager, reps: team.reps, rep: team.first },
      repHome,
      managerBoard,
      whatIf: { ...cold, again: again.ms, page },
      js,
    }
    return { lines: report({ ...opts, load: loadAtStart }, result), result }
  } finally {
    await browser?.close()
    await app?.close()
    await db.close()
    if (kept === undefined) await admin.exec(`drop schema ${schema} cascade`)
    await admin.close()
  }
}

const ms = (n: number): string => `${n.toFixed(0)} ms`
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT MET')

function report(opts: { seed: number; load: number }, r: WebBenchResult): string[] {
  const cpu = cpus()
  const g = WEB_GOALS
  return [
    'Followthrough benchmark: the web app in Chromium (real server on loopback, PostgreSQL)',
    `machine  ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}; ` +
      `load average ${opts.load.toFixed(2)} at the start`,
    `data     seed ${opts.seed}: ${grouped(r.rows.reps)} reps, ${grouped(r.rows.deals)} deals, ` +
      `${grouped(r.rows.activities)} activities; examples/ plans; 2026-01…2026-12 closed ${Number.isNaN(r.closeSeconds) ? 'earlier (schema reused)' : `in ${seconds(r.closeSeconds)} s`}; ` +
      `2027-01 open, server clock ${NOW.toISOString()}`,
    `pages    rep ${r.team.rep}; manager ${r.team.manager} with ${r.team.reps} direct reports; render = navigation ` +
      "start to the first frame with the first metric card / team table row in it (the page's own clock, " +
      'not when the driver notices); first load in a new browser context ' +
      '(nothing cached), then the best of 3 reloads',
    `server   first GET /api/progress after start (the whole organization's open period computed): ${ms(r.firstProgressMs)}; ` +
      'the pages are timed after it',
    'what-if  the POST: first = the first after the server started (the 12 months read from the database), ' +
      'warm = another draft (the records kept in memory, ADR 0012); in the browser (before the POSTs, nothing ' +
      'read): a new page, which reads the window while it opens; the cap changed in the editor once the page ' +
      'said which months it runs over; the click on Run to the first row of the per-rep table',
    '',
    table(
      ['measure', 'first load', 'warm', 'goal', ''],
      [
        [
          'rep home: first metric card',
          ms(r.repHome.first),
          ms(r.repHome.warm),
          `< ${g.renderMs} ms`,
          verdict(r.repHome.first < g.renderMs),
        ],
        [
          'manager: team board table',
          ms(r.managerBoard.first),
          ms(r.managerBoard.warm),
          `< ${g.renderMs} ms`,
          verdict(r.managerBoard.first < g.renderMs),
        ],
        [
          `what-if: ${r.whatIf.periods} months, ${grouped(r.whatIf.reps)} reps, POST, nothing read before`,
          ms(r.whatIf.ms),
          ms(r.whatIf.again),
          `< ${g.whatIfMs} ms`,
          verdict(r.whatIf.ms < g.whatIfMs),
        ],
        [
          `what-if in the browser: Run → first row (page ready in ${ms(r.whatIf.page.prepareMs)})`,
          ms(r.whatIf.page.runMs),
          '',
          `< ${g.whatIfMs} ms`,
          verdict(r.whatIf.page.runMs < g.whatIfMs),
        ],
        [
          `JS of the sign-in page (${r.js.files} files, ${(r.js.rawBytes / 1024).toFixed(0)} KB raw)`,
          `${(r.js.gzipBytes / 1024).toFixed(1)} KB gzip`,
          '',
          `< ${g.jsGzipBytes / 1024} KB`,
          verdict(r.js.gzipBytes < g.jsGzipBytes),
        ],
      ],
    ),
  ]
}

/** The size from WEB_BENCH_REPS and WEB_BENCH_DEALS, or WEB_BENCH_QUICK=1: 100 reps, 5,000 deals. */
export function webBenchSize(seed = 1): { seed: number; reps: number; deals: number } {
  const quick = process.env.WEB_BENCH_QUICK === '1'
  return {
    seed,
    reps: Number(process.env.WEB_BENCH_REPS ?? (quick ? 100 : 1000)),
    deals: Number(process.env.WEB_BENCH_DEALS ?? (quick ? 5000 : 200_000)),
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  runWebBench(webBenchSize())
    .then(({ lines }) => console.log(lines.join('\n')))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error)
      process.exitCode = 1
    })
}
