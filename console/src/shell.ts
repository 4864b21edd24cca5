import { h, setText } from './dom.js';
import { header } from './header.js';
import { fmtDate, onLangChange, t } from './i18n.js';
import { startLive } from './live.js';
import { currentLocation, match, type Route } from './router.js';
import { store } from './store.js';

/** The console once logged in: header, connection banner, the current panel; live all the while. */
export function mountShell(root: HTMLElement, routes: Route[]): () => void {
  const stopLive = startLive();
  let teardown: (() => void)[] = [];

  const banner = h('div', { class: 'conn-banner', role: 'alert', hidden: true });
  const drawBanner = () => {
    const lost = store.connection === 'lost';
    banner.hidden = !lost;
    document.body.classList.toggle('stale', lost);
    if (lost) setText(banner, `⚠ ${t('conn.banner', { time: fmtDate(store.lostAt, 'time') })}`);
  };

  function render(): void {
    for (const f of teardown) f();
    const { path, query } = currentLocation();
    const route = routes.find((r) => match(r, path)) ?? routes[0];
    const top = header(routes, path);
    const main = h('main', { id: 'main', tabindex: -1 });
    root.replaceChildren(top.element, banner, main);
    const unmount = route.mount(main, match(route, path) ?? {}, query);
    drawBanner();
    teardown = [top.destroy, unmount];
  }

  render();
  window.addEventListener('hashchange', render);
  const offLang = onLangChange(render);
  const offStore = store.subscribe((c) => c.connection && drawBanner());
  return () => {
    window.removeEventListener('hashchange', render);
    offLang();
    offStore();
    for (const f of teardown) f();
    stopLive();
    store.clear();
    document.body.classList.remove('stale');
  };
}
