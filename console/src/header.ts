import { isMuted, onMuteChange, setMuted } from './alarm-sound.js';
import { logout } from './api.js';
import { h, setAttr, setText } from './dom.js';
import { fmtDate, lang, setLang, t, TIME_ZONE } from './i18n.js';
import type { Route } from './router.js';
import { currentSession } from './session.js';
import { store, type Connection } from './store.js';
import { isAnnunciated, needsAck } from './types.js';

const CONN_ICON: Record<Connection, string> = { connecting: '◌', live: '●', lost: '✖' };

/** Unacknowledged critical alarms or incidents: the header's alarm counter flashes while there are any. */
function alarming(): boolean {
  for (const i of store.incidents.values()) if (i.ackedAt === null) return true;
  for (const f of store.faults.values()) if (f.severity === 'critical' && needsAck(f) && isAnnunciated(f)) return true;
  return false;
}

/** The top bar: name, panels, clock, connection, alarm counter, sound, language, operator. */
export function header(routes: Route[], activePath: string): { element: HTMLElement; destroy(): void } {
  const session = currentSession();
  const clock = h('time', { class: 'clock', title: `${t('header.clock')} (${TIME_ZONE})` });
  const conn = h('span', { class: 'conn', role: 'status' });
  const alarms = h('a', { class: 'alarm-count', href: '#/' });
  const soundIcon = h('span', { 'aria-hidden': 'true' });
  const soundLabel = h('span', { class: 'label' });
  const sound = h('button', { type: 'button', class: 'btn sound', title: t('header.soundTitle'), onclick: () => setMuted(!isMuted()) }, soundIcon, soundLabel);
  const langButton = (code: 'zh-CN' | 'en', label: string, testid: string) =>
    h('button', { type: 'button', class: 'btn lang', 'data-testid': testid, 'aria-pressed': String(lang() === code), lang: code, onclick: () => setLang(code) }, label);
  const badges: [Route, HTMLElement][] = [];
  const nav = h(
    'nav',
    { 'aria-label': t('nav.label') },
    ...routes
      .filter((r) => r.nav)
      .map((r) => {
        const active = r.path === '/' ? activePath === '/' : activePath.startsWith(r.path);
        const badge = r.badge ? h('span', { class: 'nav-badge', 'data-testid': `nav-badge-${r.path.slice(1)}` }) : null;
        if (badge) badges.push([r, badge]);
        return h('a', { href: `#${r.path}`, class: active ? 'active' : '', 'aria-current': active ? 'page' : false }, t(r.nav!), badge);
      }),
  );
  const element = h(
    'header',
    { class: 'top' },
    h('div', { class: 'brand' }, h('img', { src: '/console/favicon.svg', alt: '', width: 28, height: 28 }), h('strong', {}, t('app.name')), h('span', {}, t('app.subtitle'))),
    nav,
    h('div', { class: 'spacer' }),
    clock,
    conn,
    alarms,
    sound,
    h('div', { class: 'langs', role: 'group' }, langButton('zh-CN', '中文', 'lang-zh'), langButton('en', 'EN', 'lang-en')),
    h('span', { class: 'user', title: `${t('header.user')} ${session?.username ?? ''}${session ? ` (${t(`role.${session.role}`)})` : ''}` }, session?.username ?? '', h('span', { class: 'role' }, ' · ', session ? t(`role.${session.role}`) : '')),
    h('button', { type: 'button', class: 'btn', onclick: logout }, t('header.logout')),
  );

  const drawSound = () => {
    setText(soundIcon, isMuted() ? '✕ ' : '♪ ');
    setText(soundLabel, t(isMuted() ? 'header.soundOff' : 'header.soundOn'));
    setAttr(sound, 'aria-label', t(isMuted() ? 'header.soundOff' : 'header.soundOn'));
    setAttr(sound, 'aria-pressed', String(!isMuted()));
  };
  const draw = () => {
    setText(conn, `${CONN_ICON[store.connection]} ${t(`conn.${store.connection}`)}`);
    setAttr(conn, 'class', `conn c-${store.connection}`);
    const n = store.summary?.unackedFaults ?? 0;
    setText(alarms, t('header.alarms', { n }));
    setAttr(alarms, 'class', `alarm-count${n > 0 ? ' has' : ''}${alarming() ? ' flash' : ''}`);
    for (const [r, badge] of badges) {
      const b = r.badge!();
      setText(badge, b.n ? String(b.n) : '');
      setAttr(badge, 'class', `nav-badge${b.n ? ' has' : ''}${b.flash ? ' flash' : ''}`);
    }
  };
  const tick = () => setText(clock, fmtDate(Date.now()));
  drawSound();
  draw();
  tick();
  const timer = setInterval(tick, 1000);
  const unsubscribe = store.subscribe(draw);
  const unmute = onMuteChange(drawSound);
  return {
    element,
    destroy() {
      clearInterval(timer);
      unsubscribe();
      unmute();
    },
  };
}
