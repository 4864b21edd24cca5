import type { MessageKey } from './i18n.js';
import { mountLogin } from './login-view.js';
import { loadDistricts } from './map-data.js';
import { ROUTES } from './routes.js';
import { currentSession, onSessionEnd } from './session.js';
import { mountShell } from './shell.js';

const root = document.getElementById('app')!;
let unmount: () => void = () => undefined;

/** The console when a session is there, else the login page (with why, after a session ended). */
function start(notice: MessageKey | null): void {
  unmount();
  unmount = currentSession() ? mountShell(root, ROUTES) : mountLogin(root, notice, () => start(null));
}

onSessionEnd((reason) => start(reason === 'expired' ? 'session.expired' : null));
// District names in both languages come with the outlines: read them before the first render.
void loadDistricts().finally(() => start(null));
