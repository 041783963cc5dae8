// Render times measured in the page's own clock (the web bench): the driver notices an element
// later than the page draws it, by more the busier the machine. The scripts are text: the bench
// is type-checked without the browser's types.
import type { Page } from 'playwright-core'

/**
 * A script for the page: records in `window.__benchSeen` the first frame in which `selector` is in
 * the document (a mutation observer, then the next animation frame), in the page's clock.
 */
export function watchFor(selector: string): string {
  return `(() => {
    const selector = ${JSON.stringify(selector)}
    const check = () => {
      if (window.__benchSeen !== undefined || document.querySelector(selector) === null) return false
      requestAnimationFrame(() => { if (window.__benchSeen === undefined) window.__benchSeen = performance.now() })
      return true
    }
    if (check()) return
    new MutationObserver((_records, observer) => { if (check()) observer.disconnect() })
      .observe(document, { childList: true, subtree: true })
  })()`
}

/** The frame recorded by `watchFor`, once the driver saw the element too. */
export async function seenAt(page: Page, selector: string): Promise<number> {
  await page.waitForSelector(selector, { state: 'visible', timeout: 120_000 })
  await page.waitForFunction('window.__benchSeen !== undefined')
  return page.evaluate<number>('window.__benchSeen')
}

/** Clicks the button named `name` from inside the page: the page's clock when it was clicked. */
export function clickAt(page: Page, name: string): Promise<number> {
  return page.evaluate<number>(`(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent === ${JSON.stringify(name)})
    if (button === undefined) throw new Error('no button named ' + ${JSON.stringify(name)})
    const clicked = performance.now()
    button.click()
    return clicked
  })()`)
}
