import { HEALTH_ICON, healthLabel } from './badges.js';
import { frameThrottle, h, s } from './dom.js';
import { fmtNumber, t } from './i18n.js';
import { MapCanvas } from './map-canvas.js';
import { sirenCard } from './map-card.js';
import { loadDistricts, type District } from './map-data.js';
import { fitView, MARKER_SHAPE, outlinePoints, Projection, zoomAt, type View } from './map-geometry.js';
import { store } from './store.js';
import { HEALTHS, type Health, type Siren } from './types.js';

const ZOOM_STEP = 1.5;
/** Live changes redraw the map at most this often (pan and zoom redraw every frame): a burst costs a few redraws. */
const DATA_REDRAW_MS = 250;
const sirenPoints = (): [number, number][] => [...store.sirens.values()].map((x) => [x.lon, x.lat]);

/** The map: district outlines from the deployment's GeoJSON, sirens by health; pan, zoom, find and click a siren. */
export function mountMap(host: HTMLElement): () => void {
  const canvas = h('canvas', { class: 'map', role: 'img', tabindex: 0 });
  const cardHost = h('div', { class: 'map-card-host' });
  const notice = h('p', { class: 'map-notice', hidden: true }, t('map.noOutlines'));
  const hidden = new Set<Health>();
  const legendButtons = new Map<Health, HTMLButtonElement>();
  let map: MapCanvas | null = null;
  let districts: District[] = [];
  let view: View = { k: 1, tx: 0, ty: 0 };
  let limits: [number, number] = [0.1, 1000];
  let selected: string | null = null;

  let lastDraw = 0;
  const draw = frameThrottle(() => {
    lastDraw = performance.now();
    map?.draw(view, store.sirens.values(), hidden, selected);
  });
  let dataTimer: ReturnType<typeof setTimeout> | undefined;
  const drawData = () => {
    if (dataTimer !== undefined) return;
    dataTimer = setTimeout(() => {
      dataTimer = undefined;
      draw();
    }, Math.max(0, lastDraw + DATA_REDRAW_MS - performance.now()));
  };
  const legend = h(
    'div',
    { class: 'legend panel', role: 'group', 'aria-label': t('map.legend') },
    h('div', { class: 'muted' }, t('map.legend')),
    ...HEALTHS.map((hl) => {
      const b = h(
        'button',
        { type: 'button', class: 'legend-item', 'aria-pressed': 'true', onclick: () => toggle(hl) },
        s('svg', { width: 16, height: 16, viewBox: '-8 -8 16 16', 'aria-hidden': 'true' }, s('path', { d: MARKER_SHAPE[hl], class: `m m-${hl}` })),
        h('span', {}, `${HEALTH_ICON[hl]} ${healthLabel(hl)}`),
        h('span', { class: 'legend-count' }),
      );
      legendButtons.set(hl, b);
      return b;
    }),
  );
  const find = h('input', { type: 'search', name: 'find', placeholder: t('sirens.search'), 'aria-label': t('sirens.search') });
  const toolbar = h(
    'div',
    { class: 'map-tools' },
    h('button', { type: 'button', class: 'btn', title: t('map.zoomIn'), 'aria-label': t('map.zoomIn'), onclick: () => zoomCentre(ZOOM_STEP) }, '+'),
    h('button', { type: 'button', class: 'btn', title: t('map.zoomOut'), 'aria-label': t('map.zoomOut'), onclick: () => zoomCentre(1 / ZOOM_STEP) }, '−'),
    h('button', { type: 'button', class: 'btn', onclick: () => fit() }, t('map.fit')),
    find,
    h('span', { class: 'muted' }, t('map.help')),
  );
  host.replaceChildren(h('section', { class: 'map-page' }, h('div', { class: 'map-wrap' }, canvas, toolbar, legend, notice, cardHost)));

  function toggle(hl: Health): void {
    if (hidden.has(hl)) hidden.delete(hl);
    else hidden.add(hl);
    legendButtons.get(hl)!.setAttribute('aria-pressed', String(!hidden.has(hl)));
    draw();
  }

  function fit(): void {
    if (!map) return;
    const points = districts.length ? [...outlinePoints(districts)] : sirenPoints();
    if (!points.length) return;
    const p = map.projection;
    const xs = points.map(([lon]) => p.x(lon));
    const ys = points.map(([, lat]) => p.y(lat));
    view = fitView({ minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) }, canvas.clientWidth || 800, canvas.clientHeight || 600);
    limits = [view.k / 4, view.k * 64];
    draw();
  }

  function zoomCentre(factor: number): void {
    view = zoomAt(view, factor, canvas.clientWidth / 2, canvas.clientHeight / 2, limits);
    draw();
  }

  function select(siren: Siren | null, centre = false): void {
    selected = siren?.id ?? null;
    if (siren && centre && map) {
      const k = Math.max(view.k, limits[0] * 16);
      view = { k, tx: canvas.clientWidth / 2 - map.projection.x(siren.lon) * k, ty: canvas.clientHeight / 2 - map.projection.y(siren.lat) * k };
    }
    drawCard();
    draw();
  }

  function drawCard(): void {
    const siren = selected === null ? undefined : store.sirens.get(selected);
    cardHost.replaceChildren(siren ? sirenCard(siren, () => select(null)) : '');
  }

  function drawLegend(): void {
    const counts = store.summary?.byHealth;
    for (const [hl, b] of legendButtons) b.lastElementChild!.textContent = counts ? fmtNumber(counts[hl]) : '';
    canvas.setAttribute('aria-label', `${t('map.title')}: ${HEALTHS.map((hl) => `${healthLabel(hl)} ${counts ? fmtNumber(counts[hl]) : ''}`).join(', ')}`);
  }

  function build(): void {
    const projection = Projection.around(districts.length ? outlinePoints(districts) : sirenPoints());
    map = new MapCanvas(canvas, projection, districts);
    notice.hidden = districts.length > 0;
    fit();
  }

  find.addEventListener('change', () => {
    const q = find.value.trim().toLowerCase();
    if (!q) return;
    const all = [...store.sirens.values()];
    select(all.find((x) => x.id.toLowerCase() === q) ?? all.find((x) => x.id.toLowerCase().includes(q) || x.name.toLowerCase().includes(q)) ?? null, true);
  });

  const unsubscribe = store.subscribe((c) => {
    if (c.all && !districts.length) build();
    if (c.all || c.sirens.size) drawData();
    if (c.all || c.summary) drawLegend();
    if (selected !== null && (c.all || c.sirens.has(selected))) drawCard();
  });
  let alive = true;
  void loadDistricts().then((d) => {
    if (!alive) return;
    districts = d;
    build();
  });
  drawLegend();

  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    view = zoomAt(view, Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top, limits);
    draw();
  }, { passive: false });
  let drag: { x: number; y: number; moved: boolean } | null = null;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) {
      const r = canvas.getBoundingClientRect();
      const over = map?.hit(e.clientX - r.left, e.clientY - r.top, view, store.sirens.values(), hidden);
      canvas.classList.toggle('over-siren', !!over);
      canvas.title = over ? `${over.name} (${over.id}) — ${healthLabel(over.health)}` : '';
      return;
    }
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    drag = { x: e.clientX, y: e.clientY, moved: true };
    view = { ...view, tx: view.tx + dx, ty: view.ty + dy };
    draw();
  });
  canvas.addEventListener('pointerup', (e) => {
    const wasClick = drag && !drag.moved;
    drag = null;
    if (!wasClick || !map) return;
    const r = canvas.getBoundingClientRect();
    select(map.hit(e.clientX - r.left, e.clientY - r.top, view, store.sirens.values(), hidden));
  });
  canvas.addEventListener('keydown', (e) => {
    const pan: Record<string, [number, number]> = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] };
    if (e.key === '+' || e.key === '=') zoomCentre(ZOOM_STEP);
    else if (e.key === '-') zoomCentre(1 / ZOOM_STEP);
    else if (e.key === '0') fit();
    else if (pan[e.key]) {
      view = { ...view, tx: view.tx + pan[e.key][0], ty: view.ty + pan[e.key][1] };
      draw();
    } else return;
    e.preventDefault();
  });
  const resize = new ResizeObserver(() => fit());
  resize.observe(canvas);
  return () => {
    alive = false;
    clearTimeout(dataTimer);
    unsubscribe();
    resize.disconnect();
  };
}
