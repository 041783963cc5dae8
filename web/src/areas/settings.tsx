import { SettingsPage } from '../pages/settings/settings-page.tsx'
import type { AreaPage } from './area.ts'

/** Organization settings, people and invitations, API tokens. */
export const settingsPages: readonly AreaPage[] = [
  { path: '/settings', nav: 'Settings', roles: ['owner', 'admin'], render: () => <SettingsPage /> },
]
