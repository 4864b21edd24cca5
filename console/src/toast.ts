import { h } from './dom.js';

let host: HTMLElement | null = null;

/** A short message in the corner (what an action did or why it was refused); read out by screen readers. */
export function toast(text: string, kind: 'ok' | 'error' = 'ok'): void {
  if (!host?.isConnected) {
    host = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(host);
  }
  const el = h('div', { class: `toast ${kind}` }, kind === 'error' ? '✖ ' : '✓ ', text);
  host.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8_000 : 3_000);
}
