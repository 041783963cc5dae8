import type { AreaPage } from './area.ts'

/** The settings pages (filled in by the page files under pages/settings/). */
export const settingsPages: readonly AreaPage[] = []
