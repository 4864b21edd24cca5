import { ApiError } from './api.js';
import { h } from './dom.js';
import { lang, onLangChange, setLang, t, type MessageKey } from './i18n.js';
import { saveSession, type Session } from './session.js';
import type { Role } from './types.js';

/** The login page; resolves the session once the service accepted the operator. */
export function mountLogin(root: HTMLElement, noticeKey: MessageKey | null, onLoggedIn: () => void): () => void {
  let username = '';
  /** The message under the form, in whichever language is chosen. */
  let notice: (() => string) | null = noticeKey && (() => t(noticeKey));
  function render(): void {
    const user = h('input', { name: 'username', autocomplete: 'username', required: true, value: username, autofocus: true });
    const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const message = h('p', { class: 'login-message', role: 'alert' }, notice?.() ?? '');
    const submit = h('button', { type: 'submit', class: 'btn primary' }, t('login.submit'));
    const form = h(
      'form',
      { class: 'login' },
      h('h1', {}, h('img', { src: '/console/favicon.svg', alt: '', width: 40, height: 40 }), ' ', t('app.name')),
      h('p', { class: 'muted' }, t('login.title')),
      h('label', {}, t('login.username'), user),
      h('label', {}, t('login.password'), password),
      message,
      submit,
      h(
        'div',
        { class: 'langs' },
        h('button', { type: 'button', class: 'btn lang', 'data-testid': 'lang-zh', 'aria-pressed': String(lang() === 'zh-CN'), onclick: () => setLang('zh-CN') }, '中文'),
        h('button', { type: 'button', class: 'btn lang', 'data-testid': 'lang-en', 'aria-pressed': String(lang() === 'en'), onclick: () => setLang('en') }, 'EN'),
      ),
    );
    user.addEventListener('input', () => (username = user.value));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submit.disabled = true;
      submit.textContent = t('login.busy');
      login(user.value, password.value)
        .then(onLoggedIn)
        .catch((err: unknown) => {
          notice = () => refusal(err);
          message.textContent = notice();
          submit.disabled = false;
          submit.textContent = t('login.submit');
          password.value = '';
          password.focus();
        });
    });
    root.replaceChildren(h('main', { class: 'login-page' }, form));
    (username ? password : user).focus();
  }
  render();
  return onLangChange(render);
}

function refusal(err: unknown): string {
  if (err instanceof ApiError && err.status === 401) return t('login.failed');
  if (err instanceof ApiError && err.status === 429) return t('login.throttled');
  return t('login.unreachable', { message: err instanceof Error ? err.message : String(err) });
}

async function login(username: string, password: string): Promise<void> {
  const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const body = (await res.json().catch(() => ({}))) as { token?: string; role?: Role; expiresAt?: string; message?: string };
  if (!res.ok || !body.token || !body.role || !body.expiresAt) throw new ApiError(res.status, body.message ?? res.statusText);
  const session: Session = { token: body.token, username, role: body.role, expiresAt: body.expiresAt };
  saveSession(session);
}
