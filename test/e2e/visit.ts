import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'

/** Where the tests put the screenshots the README shows. */
export const screenshot = (name: string): string =>
  fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url))

const inFlight = new WeakMap<Page, Set<unknown>>()

/** Counts the page's requests in flight, so a test can wait until every query of a page has answered. */
export function trackRequests(page: Page): void {
  const open = new Set<unknown>()
  inFlight.set(page, open)
  page.on('request', (r) => open.add(r))
  page.on('requestfinished', (r) => open.delete(r))
  page.on('requestfailed', (r) => open.delete(r))
}

/** Waits until no request has been in flight for `quietMs` (the page's queries answered and drawn). */
export async function settle(page: Page, quietMs = 400, timeoutMs = 30_000): Promise<void> {
  const open = inFlight.get(page)
  if (open === undefined) throw new Error('Call trackRequests(page) first.')
  const deadline = Date.now() + timeoutMs
  let quietSince = Date.now()
  while (Date.now() < deadline) {
    if (open.size > 0) quietSince = Date.now()
    else if (Date.now() - quietSince >= quietMs) return
    await page.waitForTimeout(50)
  }
  throw new Error(`Requests still in flight after ${timeoutMs} ms.`)
}

/** Opens a page of the app by its hash route and waits for its main heading and its data. */
export async function visit(page: Page, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(`/#${path}`)
  await page.locator('main h1').filter({ hasText: heading }).first().waitFor()
  await settle(page)
}
