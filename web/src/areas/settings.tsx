import { NotificationsPage } from '../pages/settings/notifications-page.tsx'
import { SettingsPage } from '../pages/settings/settings-page.tsx'
import { EVERYONE, type AreaPage } from './area.ts'

/** Organization settings, people and invitations, API tokens; everyone's notifications. */
export const settingsPages: readonly AreaPage[] = [
  { path: '/settings', nav: 'Settings', roles: ['owner', 'admin'], render: () => <SettingsPage /> },
  { path: '/notifications', roles: EVERYONE, render: () => <NotificationsPage /> },
]
