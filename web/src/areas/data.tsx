import type { AreaPage } from './area.ts'

/** The data pages (filled in by the page files under pages/data/). */
export const dataPages: readonly AreaPage[] = []
