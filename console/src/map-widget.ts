import { frameThrottle, h, s } from './dom.js';
import { fmtNumber, t } from './i18n.js';
import { MapCanvas } from './map-canvas.js';
import { sirenCard } from './map-card.js';
import type { Colouring } from './map-colouring.js';
import { loadDistricts, type District } from './map-data.js';
import { attachMapInput, ZOOM_STEP, type MapInput } from './map-input.js';
import { fitView, MARKER_SHAPE, outlinePoints, Projection, zoomAt, type MapOverlay, type View } from './map-geometry.js';
import { store } from './store.js';
import type { Siren } from './types.js';

/** Live changes redraw the map at most this often (pan and zoom redraw every frame): a burst costs a few redraws. */
const DATA_REDRAW_MS = 250;
/** The least a fitted view shows, in km, so that a few sirens close together keep their surroundings. */
const MIN_FIT_KM = 3;
const sirenPoints = (): [number, number][] => [...store.sirens.values()].map((x) => [x.lon, x.lat]);

export interface MapWidget {
  element: HTMLElement;
  /** A new colouring (a drill's verdicts as they come in): legend and markers redrawn. */
  setColouring(c: Colouring): void;
  setOverlay(o: MapOverlay | null): void;
  /** What "fit" shows ([lon, lat] points); the whole city when empty. Fits now. */
  setFocus(points: [number, number][]): void;
  destroy(): void;
}

/**
 * The map: district outlines from the deployment's GeoJSON and the sirens, coloured as asked (health
 * on the map panel, verdict on a drill, coverage on an alert), with an area drawn over it; pan, zoom,
 * find and click a siren. The legend's counts are those of the markers drawn. A `focused` map (a
 * drill's, an alert's) fits its subject rather than the city and leaves out the help line.
 */
export function mapWidget(o: { colouring: Colouring; overlay?: MapOverlay | null; focused?: boolean }): MapWidget {
  let colouring = o.colouring;
  let overlay = o.overlay ?? null;
  let focus: [number, number][] = [];
  const canvas = h('canvas', { class: 'map', role: 'img', tabindex: 0 });
  const cardHost = h('div', { class: 'map-card-host' });
  const notice = h('p', { class: 'map-notice', hidden: true }, t('map.noOutlines'));
  const hidden = new Set<string>();
  const legendList = h('div', { class: 'legend-items' });
  const legendTitle = h('div', { class: 'muted' });
  let map: MapCanvas | null = null;
  let districts: District[] = [];
  let view: View = { k: 1, tx: 0, ty: 0 };
  let limits: [number, number] = [0.1, 1000];
  let selected: string | null = null;

  let lastDraw = 0;
  const draw = frameThrottle(() => {
    lastDraw = performance.now();
    map?.draw(view, store.sirens.values(), colouring, hidden, selected, overlay);
  });
  let dataTimer: ReturnType<typeof setTimeout> | undefined;
  const drawData = () => {
    if (dataTimer !== undefined) return;
    dataTimer = setTimeout(() => {
      dataTimer = undefined;
      drawLegend();
      draw();
    }, Math.max(0, lastDraw + DATA_REDRAW_MS - performance.now()));
  };
  const local = (e: MouseEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const input: MapInput = {
    pan(dx, dy) {
      view = { ...view, tx: view.tx + dx, ty: view.ty + dy };
      draw();
    },
    zoom(factor, at) {
      const [px, py] = at ? local(at) : [canvas.clientWidth / 2, canvas.clientHeight / 2];
      view = zoomAt(view, factor, px, py, limits);
      draw();
    },
    fit,
    pick(e) {
      if (map) select(map.hit(...local(e), view, store.sirens.values(), colouring, hidden));
    },
    hover(e) {
      const over = map?.hit(...local(e), view, store.sirens.values(), colouring, hidden);
      canvas.classList.toggle('over-siren', !!over);
      canvas.title = over ? `${over.name} (${over.id}) — ${colouring.classOf(over)?.label() ?? ''}` : '';
    },
  };
  const find = h('input', { type: 'search', name: 'find', placeholder: t('sirens.search'), 'aria-label': t('sirens.search') });
  const toolbar = h(
    'div',
    { class: 'map-tools' },
    h('button', { type: 'button', class: 'btn', title: t('map.zoomIn'), 'aria-label': t('map.zoomIn'), onclick: () => input.zoom(ZOOM_STEP) }, '+'),
    h('button', { type: 'button', class: 'btn', title: t('map.zoomOut'), 'aria-label': t('map.zoomOut'), onclick: () => input.zoom(1 / ZOOM_STEP) }, '−'),
    h('button', { type: 'button', class: 'btn', onclick: () => fit() }, t(o.focused ? 'map.fitFocus' : 'map.fit')),
    find,
    o.focused ? null : h('span', { class: 'muted' }, t('map.help')),
  );
  const legend = h('div', { class: 'legend panel', role: 'group' }, legendTitle, legendList);
  const element = h('div', { class: `map-wrap${o.focused ? ' focused' : ''}` }, canvas, toolbar, legend, notice, cardHost);

  /** One button per class of the colouring: click to show or hide that class's markers. */
  function buildLegend(): void {
    legendTitle.textContent = colouring.legend();
    legend.setAttribute('aria-label', colouring.legend());
    legendList.replaceChildren(
      ...colouring.classes.map((k) =>
        h(
          'button',
          { type: 'button', class: 'legend-item', 'data-key': k.key, 'aria-pressed': String(!hidden.has(k.key)), onclick: () => toggle(k.key) },
          s('svg', { width: 16, height: 16, viewBox: '-8 -8 16 16', 'aria-hidden': 'true' }, s('path', { d: MARKER_SHAPE[k.look], class: `m m-${k.look}` })),
          h('span', {}, `${k.icon} ${k.label()}`),
          h('span', { class: 'legend-count' }),
        ),
      ),
    );
    drawLegend();
  }

  /** Counts of what the map shows, drawn with it (so legend and markers always agree). */
  function drawLegend(): void {
    const counts = new Map(colouring.classes.map((k) => [k.key, 0]));
    for (const x of store.sirens.values()) {
      const k = colouring.classOf(x);
      if (k) counts.set(k.key, (counts.get(k.key) ?? 0) + 1);
    }
    for (const b of legendList.children) b.lastElementChild!.textContent = fmtNumber(counts.get((b as HTMLElement).dataset.key!) ?? 0);
    canvas.setAttribute('aria-label', `${t('map.title')}: ${colouring.classes.map((k) => `${k.label()} ${fmtNumber(counts.get(k.key) ?? 0)}`).join(', ')}`);
  }

  function toggle(key: string): void {
    if (hidden.has(key)) hidden.delete(key);
    else hidden.add(key);
    legendList.querySelector(`[data-key="${CSS.escape(key)}"]`)?.setAttribute('aria-pressed', String(!hidden.has(key)));
    draw();
  }

  /** The view that shows these points ([lon, lat]), at least MIN_FIT_KM across. */
  function viewOf(points: [number, number][], p: Projection): View {
    const xs = points.map(([lon]) => p.x(lon));
    const ys = points.map(([, lat]) => p.y(lat));
    const grow = (v: number[]) => Math.max(0, (MIN_FIT_KM - (Math.max(...v) - Math.min(...v))) / 2);
    const [gx, gy] = [grow(xs), grow(ys)];
    return fitView({ minX: Math.min(...xs) - gx, maxX: Math.max(...xs) + gx, minY: Math.min(...ys) - gy, maxY: Math.max(...ys) + gy }, canvas.clientWidth || 800, canvas.clientHeight || 600);
  }

  /** Shows the focus (or the whole city); zoom stays within a range set by the city's size. */
  function fit(): void {
    if (!map) return;
    const city = districts.length ? [...outlinePoints(districts)] : sirenPoints();
    if (!city.length) return;
    const whole = viewOf(city, map.projection);
    limits = [whole.k / 4, whole.k * 64];
    view = focus.length ? viewOf(focus, map.projection) : whole;
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
    if (selected !== null && (c.all || c.sirens.has(selected))) drawCard();
  });
  let alive = true;
  void loadDistricts().then((d) => {
    if (!alive) return;
    districts = d;
    build();
  });
  buildLegend();
  attachMapInput(canvas, input);
  const resize = new ResizeObserver(() => fit());
  resize.observe(canvas);

  return {
    element,
    setColouring(c) {
      const sameClasses = c.classes.map((k) => k.key).join() === colouring.classes.map((k) => k.key).join();
      colouring = c;
      if (sameClasses) drawData();
      else buildLegend();
      draw();
    },
    setOverlay(next) {
      overlay = next;
      draw();
    },
    setFocus(points) {
      focus = points;
      fit();
    },
    destroy() {
      alive = false;
      clearTimeout(dataTimer);
      unsubscribe();
      resize.disconnect();
    },
  };
}
