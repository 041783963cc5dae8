/** A refusal from the server, with its stable code and details (`{ error: { code, message, details } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message)
  }
}

function csrfToken(): string | null {
  const match = /(?:^|;\s*)ft_csrf=([^;]+)/.exec(document.cookie)
  return match?.[1] === undefined ? null : decodeURIComponent(match[1])
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  const csrf = csrfToken()
  if (csrf !== null && method !== 'GET') headers['x-csrf-token'] = csrf
  let payload: BodyInit | undefined
  if (typeof body === 'string') {
    headers['content-type'] = 'text/csv'
    payload = body
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  const response = await fetch(`/api${path}`, { method, headers, body: payload, credentials: 'same-origin' })
  const type = response.headers.get('content-type') ?? ''
  const data: unknown = type.includes('application/json') ? await response.json() : await response.text()
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error
    throw new ApiError(
      response.status,
      error?.code ?? `http.${response.status}`,
      error?.message ?? `The server answered ${response.status}.`,
      // A refusal that is not the error body (an import's 422 with its problems) carries its body.
      error === undefined ? data : (error.details ?? null),
    )
  }
  return data as T
}

declare global {
  interface Window {
    /** GET answers index.html asked for while the JavaScript loaded, by path; each taken once. */
    __ftPreloaded?: Record<string, Promise<unknown> | undefined>
  }
}

/** How long after the page loaded an answer asked by index.html is still fresh enough to show. */
const PRELOAD_FRESH_MS = 10_000

/** A GET: the answer index.html already asked for when there is one (asked again if it failed). */
async function get<T>(path: string): Promise<T> {
  const preloaded = window.__ftPreloaded?.[path]
  if (preloaded !== undefined) {
    delete window.__ftPreloaded?.[path]
    if (performance.now() > PRELOAD_FRESH_MS) return request<T>('GET', path)
    try {
      return (await preloaded) as T
    } catch {
      // The request below says what went wrong, as every other request does.
    }
  }
  return request<T>('GET', path)
}

export const api = {
  get,
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
}
