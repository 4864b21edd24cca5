import { currentSession, endSession } from './session.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A request to the service with the operator's token; a 401 ends the session, any other refusal throws with the service's reason. */
async function request(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal; accept: string }): Promise<Response> {
  const session = currentSession();
  const headers: Record<string, string> = { accept: init.accept };
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  if (res.status === 401) endSession('expired');
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new ApiError(res.status, body?.message ?? res.statusText);
  }
  return res;
}

/** A call to the service's API with the operator's token. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  return (await (await request(path, { ...init, accept: 'application/json' })).json()) as T;
}

export const post = <T>(path: string, body: unknown): Promise<T> => api<T>(path, { method: 'POST', body });

/** Logs out: the service revokes the token (so a copy of it is useless too), and the page forgets it. */
export function logout(): void {
  const session = currentSession();
  endSession('logout');
  // Best effort: an unreachable service cannot be told, and the token then simply runs out.
  if (session) void fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${session.token}` } }).catch(() => undefined);
}

/**
 * Saves a file the service makes (a report): fetched with the token, which a plain link cannot send,
 * and handed to the browser as a Blob, so nothing is asked of anything but the service.
 */
export async function download(path: string, filename: string): Promise<void> {
  const blob = await (await request(path, { accept: '*/*' })).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
