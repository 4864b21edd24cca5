import { h } from './dom.js';
import { healthColouring } from './map-colouring.js';
import { mapWidget } from './map-widget.js';

/** The map panel: the whole city, every siren by health. */
export function mountMap(host: HTMLElement): () => void {
  const map = mapWidget({ colouring: healthColouring });
  host.replaceChildren(h('section', { class: 'map-page' }, map.element));
  return map.destroy;
}
