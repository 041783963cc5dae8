import type { AreaPage } from './area.ts'

/** The manager pages (filled in by the page files under pages/manager/). */
export const managerPages: readonly AreaPage[] = []
