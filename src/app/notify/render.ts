/** A block of an email or notification body: a heading, a paragraph or a list. */
export type Block =
  { readonly heading: string } | { readonly p: string } | { readonly list: readonly string[] }

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Plain text: paragraphs apart by a blank line, list items as "- item". */
export function renderText(blocks: readonly Block[]): string {
  return (
    blocks
      .map((b) =>
        'heading' in b ? b.heading : 'p' in b ? b.p : b.list.map((item) => `- ${item}`).join('\n'),
      )
      .join('\n\n') + '\n'
  )
}

/** Simple HTML, every text escaped. */
export function renderHtml(blocks: readonly Block[]): string {
  const body = blocks
    .map((b) =>
      'heading' in b
        ? `<h3>${escape(b.heading)}</h3>`
        : 'p' in b
          ? `<p>${escape(b.p)}</p>`
          : `<ul>${b.list.map((item) => `<li>${escape(item)}</li>`).join('')}</ul>`,
    )
    .join('\n')
  return `<!doctype html>\n<html><body style="font-family: sans-serif; line-height: 1.4">\n${body}\n</body></html>\n`
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** 'YYYY-MM-DD' → "Feb 7, 2026". */
export function dateForPeople(date: string): string {
  const [y, m, d] = date.split('-')
  return `${MONTHS[Number(m) - 1] ?? m} ${Number(d)}, ${y}`
}

/** "1 item" / "3 items". */
export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`
