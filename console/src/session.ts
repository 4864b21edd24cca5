import { ROLES, type Role } from './types.js';

export interface Session {
  token: string;
  username: string;
  role: Role;
  expiresAt: string;
}

/** Per browser tab: a reload keeps the operator logged in, closing the browser does not. */
const KEY = 'sirenwatch.session';
const endListeners = new Set<(reason: 'expired' | 'logout') => void>();

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const s = JSON.parse(raw) as Session;
  return Date.parse(s.expiresAt) > Date.now() ? s : null;
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

/** Ends the session: the operator logged out, or the service no longer accepts the token. */
export function endSession(reason: 'expired' | 'logout'): void {
  if (!sessionStorage.getItem(KEY)) return;
  sessionStorage.removeItem(KEY);
  for (const l of endListeners) l(reason);
}

export function onSessionEnd(listener: (reason: 'expired' | 'logout') => void): void {
  endListeners.add(listener);
}

/** Whether the logged-in operator's role includes `needed` (the UI hides what the role cannot do). */
export function can(needed: Role): boolean {
  const s = currentSession();
  return s !== null && ROLES.indexOf(s.role) >= ROLES.indexOf(needed);
}
