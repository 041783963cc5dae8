import type { AreaPage } from './area.ts'

/** The rep pages (filled in by the page files under pages/rep/). */
export const repPages: readonly AreaPage[] = []
