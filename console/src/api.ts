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
  if (res.ok) return res;
  throw refusal(res.status, await res.json().catch(() => null), res.statusText);
}

/** The service's refusal with its reason; a 401 also ends the session. */
function refusal(status: number, body: unknown, statusText: string): ApiError {
  if (status === 401) endSession('expired');
  const message = (body as { message?: unknown } | null)?.message;
  return new ApiError(status, typeof message === 'string' ? message : statusText);
}

/** A call to the service's API with the operator's token. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  return (await (await request(path, { ...init, accept: 'application/json' })).json()) as T;
}

export const post = <T>(path: string, body: unknown): Promise<T> => api<T>(path, { method: 'POST', body });

/**
 * Posts a file as the raw body with the operator's token, reporting the share sent (0…1) as it goes:
 * XMLHttpRequest, because fetch tells nothing of an upload's progress. A refusal throws like api()'s;
 * a lost connection throws ApiError with status 0; an abort rejects with an AbortError.
 */
export function upload<T>(path: string, file: Blob, type: string, onProgress: (sent: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const session = currentSession();
    if (session) xhr.setRequestHeader('authorization', `Bearer ${session.token}`);
    xhr.setRequestHeader('content-type', type);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve(xhr.response as T) : reject(refusal(xhr.status, xhr.response, xhr.statusText)));
    xhr.onerror = () => reject(new ApiError(0, 'the service could not be reached'));
    xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

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
