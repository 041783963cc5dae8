import type { AreaPage } from './area.ts'

/** The finance pages (filled in by the page files under pages/finance/). */
export const financePages: readonly AreaPage[] = []
