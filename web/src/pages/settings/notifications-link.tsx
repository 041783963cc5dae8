import { useNotifications } from './notifications-page.tsx'

/** The header's link to the notifications page, with the unread count. */
export function NotificationsLink() {
  const list = useNotifications()
  const unread = list.data?.items.filter((n) => n.readAt === null).length ?? 0
  return (
    <a href="#/notifications" aria-label={unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`}>
      Notifications{unread > 0 && <span className="pill"> {unread}</span>}
    </a>
  )
}
