import { HEALTH_ICON, healthLabel } from './badges.js';
import { frameThrottle, h, s } from './dom.js';
import { fmtNumber, t } from './i18n.js';
import { sirenCard } from './map-card.js';
import { districtName, loadDistricts, type District } from './map-data.js';
import { districtPath, fitView, labelPoint, MARKER_SHAPE, outlinePoints, Projection, zoomAt, type View } from './map-geometry.js';
import { MarkerLayer } from './map-markers.js';
import { store } from './store.js';
import { HEALTHS, type Health } from './types.js';

const ZOOM_STEP = 1.5;

/** The map: district outlines from the deployment's GeoJSON, sirens by health; pan, zoom, click a siren. */
export function mountMap(host: HTMLElement): () => void {
  const svg = s('svg', { class: 'map', role: 'img', 'aria-label': t('map.title'), tabindex: 0 });
  const world = s('g', { class: 'world' });
  const labels = s('g', { class: 'labels' });
  const cardHost = h('div', { class: 'map-card-host' });
  const legendButtons = new Map<Health, HTMLButtonElement>();
  const hidden = new Set<Health>();
  const notice = h('p', { class: 'map-notice', hidden: true }, t('map.noOutlines'));
  let markers: MarkerLayer | null = null;
  let projection: Projection | null = null;
  let districts: District[] = [];
  let view: View = { k: 1, tx: 0, ty: 0 };
  let limits: [number, number] = [0.1, 1000];
  let selected: string | null = null;
  let destroyed = false;

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
  const toolbar = h(
    'div',
    { class: 'map-tools' },
    h('button', { type: 'button', class: 'btn', title: t('map.zoomIn'), 'aria-label': t('map.zoomIn'), onclick: () => zoomCentre(ZOOM_STEP) }, '+'),
    h('button', { type: 'button', class: 'btn', title: t('map.zoomOut'), 'aria-label': t('map.zoomOut'), onclick: () => zoomCentre(1 / ZOOM_STEP) }, '−'),
    h('button', { type: 'button', class: 'btn', onclick: () => fit() }, t('map.fit')),
    h('span', { class: 'muted' }, t('map.help')),
  );
  svg.append(world, labels);
  host.replaceChildren(h('section', { class: 'map-page' }, h('div', { class: 'map-wrap' }, svg, toolbar, legend, notice, cardHost)));

  function toggle(hl: Health): void {
    if (hidden.has(hl)) hidden.delete(hl);
    else hidden.add(hl);
    legendButtons.get(hl)!.setAttribute('aria-pressed', String(!hidden.has(hl)));
    markers?.setHidden(hl, hidden.has(hl));
  }

  const apply = frameThrottle(() => {
    world.setAttribute('transform', `matrix(${view.k} 0 0 ${view.k} ${view.tx} ${view.ty})`);
    labels.setAttribute('transform', `translate(${view.tx} ${view.ty})`);
    for (const label of labels.children) {
      const [x, y] = (label as SVGTextElement).dataset.xy!.split(',').map(Number);
      label.setAttribute('x', (x * view.k).toFixed(1));
      label.setAttribute('y', (y * view.k).toFixed(1));
    }
    markers?.setView(view.k, view.tx, view.ty);
  });

  function fit(): void {
    if (!projection) return;
    const p = projection;
    const xs: number[] = [];
    const ys: number[] = [];
    const points = districts.length ? outlinePoints(districts) : [...store.sirens.values()].map((x): [number, number] => [x.lon, x.lat]);
    for (const [lon, lat] of points) {
      xs.push(p.x(lon));
      ys.push(p.y(lat));
    }
    if (!xs.length) return;
    const box = { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
    view = fitView(box, svg.clientWidth || 800, svg.clientHeight || 600);
    limits = [view.k / 4, view.k * 64];
    apply();
  }

  function zoomCentre(factor: number): void {
    view = zoomAt(view, factor, svg.clientWidth / 2, svg.clientHeight / 2, limits);
    apply();
  }

  function drawLegend(): void {
    const counts = store.summary?.byHealth;
    for (const [hl, b] of legendButtons) b.lastElementChild!.textContent = counts ? fmtNumber(counts[hl]) : '';
  }

  function drawCard(): void {
    const siren = selected === null ? undefined : store.sirens.get(selected);
    cardHost.replaceChildren(siren ? sirenCard(siren, () => ((selected = null), drawCard())) : '');
  }

  function build(): void {
    if (destroyed) return;
    projection = Projection.around(districts.length ? outlinePoints(districts) : [...store.sirens.values()].map((x): [number, number] => [x.lon, x.lat]));
    world.replaceChildren(...districts.map((d) => s('path', { class: 'district', d: districtPath(d, projection!) }, s('title', {}, districtName(d.code, d.name)))));
    labels.replaceChildren(
      ...districts.map((d) => s('text', { class: 'district-label', 'data-xy': labelPoint(d, projection!).join(','), 'text-anchor': 'middle' }, districtName(d.code, d.name))),
    );
    markers?.element.remove();
    markers = new MarkerLayer(projection);
    for (const hl of hidden) markers.setHidden(hl, true);
    svg.append(markers.element);
    markers.setAll(store.sirens.values());
    notice.hidden = districts.length > 0;
    fit();
  }

  const unsubscribe = store.subscribe((c) => {
    if (c.all && !districts.length) build();
    else if (c.all) markers?.setAll(store.sirens.values());
    else for (const id of c.sirens) markers?.update(store.sirens.get(id)!);
    if (c.all || c.summary) drawLegend();
    if (selected !== null && (c.all || c.sirens.has(selected))) drawCard();
  });
  void loadDistricts().then((d) => {
    districts = d;
    build();
  });
  drawLegend();

  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    view = zoomAt(view, Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top, limits);
    apply();
  }, { passive: false });
  let drag: { x: number; y: number; moved: boolean } | null = null;
  svg.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, moved: false };
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    drag = { x: e.clientX, y: e.clientY, moved: true };
    view = { ...view, tx: view.tx + dx, ty: view.ty + dy };
    apply();
  });
  svg.addEventListener('pointerup', (e) => {
    const wasClick = drag && !drag.moved;
    drag = null;
    if (!wasClick) return;
    const target = document.elementFromPoint(e.clientX, e.clientY);
    const id = target instanceof SVGPathElement ? target.dataset.id : undefined;
    selected = id ?? null;
    drawCard();
  });
  svg.addEventListener('keydown', (e) => {
    const pan: Record<string, [number, number]> = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] };
    if (e.key === '+' || e.key === '=') zoomCentre(ZOOM_STEP);
    else if (e.key === '-') zoomCentre(1 / ZOOM_STEP);
    else if (e.key === '0') fit();
    else if (pan[e.key]) view = { ...view, tx: view.tx + pan[e.key][0], ty: view.ty + pan[e.key][1] };
    else return;
    e.preventDefault();
    apply();
  });
  const resize = new ResizeObserver(() => fit());
  resize.observe(svg);
  return () => {
    destroyed = true;
    unsubscribe();
    resize.disconnect();
  };
}
