import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DemoLogin } from '../../src/app/auth/demo-people.ts'
import { type AppServer, startAppServer } from './app-server.ts'
import { launchBrowser, openPage, seriousViolations } from './browser.ts'
import { signIn } from './sign-in.ts'
import { screenshot, settle, trackRequests, visit } from './visit.ts'

type Role = DemoLogin['role']

// What each role's menu must hold, and what it must not: the pages of the other roles. Areas add
// pages over time (reps, quotas, deals, coaching…): every entry of the menu is visited below, so a
// new page is checked too without being listed here.
const MENU_HAS: Record<Role, readonly string[]> = {
  owner: [
    'Team',
    'Follow-through',
    'Disputes',
    'Leaderboard',
    'Executive',
    'Plans',
    'What if',
    'Imports',
    'Close',
    'Finance',
    'Settings',
  ],
  admin: [
    'Team',
    'Follow-through',
    'Disputes',
    'Leaderboard',
    'Executive',
    'Plans',
    'What if',
    'Imports',
    'Close',
    'Finance',
    'Settings',
  ],
  finance: ['Team', 'Leaderboard', 'Executive', 'Plans', 'Close', 'Finance'],
  manager: ['Team', 'Follow-through', 'Disputes', 'Leaderboard', 'Plans', 'Imports', 'Close'],
  rep: ['My progress', 'Leaderboard', 'Plans'],
}
const MENU_HAS_NOT: Record<Role, readonly string[]> = {
  owner: ['My progress'],
  admin: ['My progress'],
  finance: ['My progress', 'Follow-through', 'Disputes', 'What if', 'Imports', 'Settings'],
  manager: ['My progress', 'Executive', 'What if', 'Finance', 'Settings'],
  rep: [
    'Team',
    'Follow-through',
    'Disputes',
    'Coaching',
    'Executive',
    'What if',
    'Imports',
    'Reps',
    'Quotas',
    'Close',
    'Finance',
    'Settings',
  ],
}
/** The executive page and the what-if have their own test (executive.e2e.test.ts). */
const VISITED_ELSEWHERE = new Set(['Executive', 'What if'])

/** Every page a role may open (besides the executive pages), with its main heading. */
const PAGES: Record<Role, readonly (readonly [string, string | RegExp])[]> = {
  owner: [
    ['/team', 'Team board'],
    ['/follow-through', 'Follow-through'],
    ['/disputes', 'Disputes'],
    ['/leaderboard', 'Leaderboard'],
    ['/plans', 'Plans'],
    ['/plans/msp-mgr', 'Plans'],
    ['/imports', 'Imports'],
    ['/close', 'Close a period'],
    ['/finance', 'Finance'],
    ['/settings', 'Settings'],
    ['/reps/r08', /Progress of/],
    ['/statements/r08/2026-10', /Statement 2026-10/],
  ],
  admin: [
    ['/team', 'Team board'],
    ['/follow-through', 'Follow-through'],
    ['/disputes', 'Disputes'],
    ['/imports', 'Imports'],
    ['/finance', 'Finance'],
    ['/settings', 'Settings'],
  ],
  finance: [
    ['/finance', 'Finance'],
    ['/team', 'Team board'],
    ['/leaderboard', 'Leaderboard'],
    ['/plans', 'Plans'],
    ['/close', 'Close a period'],
    ['/statements/r01/2026-10', /Statement 2026-10/],
  ],
  manager: [
    ['/team', 'Team board'],
    ['/follow-through', 'Follow-through'],
    ['/disputes', 'Disputes'],
    ['/leaderboard', 'Leaderboard'],
    ['/plans', 'Plans'],
    ['/imports', 'Imports'],
    ['/close', 'Close a period'],
    ['/reps/r01', /Progress of/],
    ['/statements/r01/2026-10', /Statement 2026-10/],
  ],
  rep: [
    ['/me', 'My progress'],
    ['/leaderboard', 'Leaderboard'],
    ['/plans', 'Plans'],
    ['/statements/r01/2026-10', /Statement 2026-10/],
  ],
}

/** Pages a role may not open: the app says so instead of showing them. */
const REFUSED: Record<Role, readonly string[]> = {
  owner: [],
  admin: [],
  finance: ['/follow-through', '/disputes', '/imports', '/settings', '/what-if'],
  manager: ['/finance', '/settings', '/executive', '/what-if'],
  rep: ['/team', '/finance', '/follow-through', '/imports', '/close', '/settings', '/executive'],
}

// A busy machine runs several browsers and servers at once: each step gets its time.
describe('each role sees only what it may', { timeout: 180_000 }, () => {
  let server: AppServer
  let browser: Browser
  beforeAll(async () => {
    server = await startAppServer()
    browser = await launchBrowser()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  const signedIn = async (role: Role): Promise<{ page: Page; errors: string[] }> => {
    const opened = await openPage(browser, server.url)
    trackRequests(opened.page)
    await signIn(opened.page, server.login(role))
    await settle(opened.page)
    return opened
  }

  for (const role of ['owner', 'admin', 'finance', 'manager', 'rep'] as const) {
    it(`${role}: the menu, every page without console errors or serious accessibility violations`, async () => {
      const { page, errors } = await signedIn(role)
      const menu = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()
      expect(menu).toEqual(expect.arrayContaining([...MENU_HAS[role]]))
      expect(menu.filter((item) => MENU_HAS_NOT[role].includes(item))).toEqual([])
      // Every entry of the menu opens a page of its own, without an error shown or an accessibility fault.
      for (const item of menu.filter((m) => !VISITED_ELSEWHERE.has(m))) {
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: item, exact: true })
          .click()
        const heading = page.locator('main h1').first()
        await heading.waitFor()
        await settle(page)
        expect(await heading.textContent(), `${role} ${item}`).not.toMatch(/^(Not for your role|Not found)$/)
        expect(await page.locator('main .error').count(), `${role} ${item}`).toBe(0)
        expect(await seriousViolations(page), `${role} ${item}`).toEqual([])
      }
      for (const [path, heading] of [...PAGES[role], ['/notifications', 'Notifications'] as const]) {
        await visit(page, path, heading)
        expect(await page.locator('main .error').count(), `${role} ${path}`).toBe(0)
        expect(await seriousViolations(page), `${role} ${path}`).toEqual([])
        if (role === 'manager' && path === '/team') {
          // Marcus Bell's team North: r01 to r06, and no rep of team South.
          await page.getByRole('link', { name: 'Ana Castillo' }).waitFor()
          expect(await page.getByRole('link', { name: 'Hiro Tanaka' }).count()).toBe(0)
          await page.screenshot({ path: screenshot('team-board'), fullPage: true })
        }
        if (role === 'finance' && path === '/finance') {
          await page.getByText(/The hash chain of \d+ entries verifies/).waitFor()
          await page.screenshot({ path: screenshot('finance'), fullPage: true })
        }
      }
      for (const path of REFUSED[role]) {
        await visit(page, path, 'Not for your role')
        await page.getByText(`This page is not open to the ${role} role.`).waitFor()
      }
      expect(errors).toEqual([])
    })
  }

  it('the pages open without signing in: sign-in, setup, password reset, invitation', async () => {
    const { page, errors } = await openPage(browser, server.url)
    trackRequests(page)
    await page.goto('/')
    await page.getByRole('heading', { name: 'Sign in to Followthrough' }).waitFor()
    await settle(page)
    expect(await seriousViolations(page)).toEqual([])
    for (const [path, heading] of [
      ['/setup', 'Set up Followthrough'],
      ['/forgot-password', 'Reset your password'],
      ['/reset-password?token=abc', 'Choose a new password'],
      ['/accept-invitation?token=abc', 'Accept your invitation'],
    ] as const) {
      await visit(page, path, heading)
      expect(await seriousViolations(page), path).toEqual([])
    }
    // Nobody is signed in: the app asked who is (401) and said nothing else in the console.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([])
  })

  it('a manager cannot see a rep of another team', async () => {
    const { page, errors } = await signedIn('manager')
    await page.goto('/#/reps/r08')
    await page.getByText(/may not see the rep "r08"/).waitFor()
    await page.goto('/#/statements/r08/2026-10')
    await page.getByText(/may not see the rep "r08"/).waitFor()
    // The two refusals are the server's 403s, logged by the browser; nothing else.
    expect(errors.filter((e) => !/status of 403/.test(e))).toEqual([])
    expect(errors.length).toBeGreaterThan(0)
  })

  it('the plan editor names the line of an unknown key, and the problem moves the cursor there', async () => {
    const { page, errors } = await signedIn('owner')
    await visit(page, '/plans/msp-ae', 'Plans')
    const editor = page.getByLabel(/^Plan \(/)
    const source = await editor.inputValue()
    await page.getByText('The plan checks.').waitFor()
    const lines = source.split('\n')
    // An unknown key inside the first commission, at the indent of its next key (`on:`), deep in
    // the file: the problem must name that line (1-based: at + 2), not the commission's first line.
    const at = lines.findIndex((l) => /^\s*- id: mrr\b/.test(l))
    expect(at).toBeGreaterThan(10)
    expect(lines[at + 1]).toMatch(/^\s+on: /)
    const indent = /^\s*/.exec(lines[at + 1] ?? '')?.[0] ?? ''
    const edited = [...lines.slice(0, at + 1), `${indent}colour: blue`, ...lines.slice(at + 1)]
    await editor.fill(edited.join('\n'))
    const problems = page.getByRole('list', { name: 'Problems' })
    await problems.waitFor()
    const line = at + 2
    const item = problems.locator(`li[data-line="${line}"]`)
    await expect(item.textContent()).resolves.toMatch(
      new RegExp(`^line ${line}, column ${indent.length + 1}: .*colour`),
    )
    await page.getByText(/^\d+ problems?$/).waitFor()
    await item.getByRole('button').click()
    const caret = await editor.evaluate((el) => {
      const area = el as unknown as { selectionStart: number; value: string }
      const before = area.value.slice(0, area.selectionStart).split('\n')
      return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 }
    })
    expect(caret).toEqual({ line, column: indent.length + 1 })
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: screenshot('plan-editor'), fullPage: true })
    expect(errors).toEqual([])
  })
})
