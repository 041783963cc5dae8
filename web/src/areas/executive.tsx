import type { AreaPage } from './area.ts'

/** The executive pages (filled in by the page files under pages/executive/). */
export const executivePages: readonly AreaPage[] = []
