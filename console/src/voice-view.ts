import { api } from './api.js';
import { coalesce, h } from './dom.js';
import { fmtDate, t } from './i18n.js';
import { can } from './session.js';
import { store } from './store.js';
import { voiceForm } from './voice-form.js';
import { voiceMessage } from './voice-message.js';
import type { VoiceMessage } from './voice-types.js';

const RELOAD_MS = 1_000;

function row(m: VoiceMessage): HTMLElement {
  return h(
    'tr',
    { 'data-testid': `voice-${m.id}`, 'data-state': m.state },
    h('td', {}, t(`voice.state.${m.state}`)),
    h('td', {}, h('a', { href: `#/voice/${encodeURIComponent(m.id)}` }, (m.text ?? t('voice.recording')).slice(0, 60))),
    h('td', {}, t('voice.summary', m.summary)),
    h('td', {}, fmtDate(m.sentAt ?? m.createdAt, 'short')),
  );
}

/** The spoken-messages panel: the messages sent (newest first) and, for operators, the compose form; or one message. */
export function mountVoice(host: HTMLElement, params: Record<string, string>): () => void {
  if (params.id) {
    const one = voiceMessage(params.id);
    host.replaceChildren(h('div', { class: 'drill-page' }, one.element));
    return one.destroy;
  }
  const body = h('tbody');
  const empty = h('p', { class: 'empty', hidden: true }, t('voice.none'));
  const form = can('operator') ? voiceForm() : null;
  host.replaceChildren(
    h(
      'div',
      { class: 'drills-page' },
      h(
        'section',
        { class: 'panel drill-list' },
        h('h2', {}, t('voice.title')),
        h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ...(['col.state', 'voice.text', 'results.verdict', 'drill.started'] as const).map((k) => h('th', { scope: 'col' }, t(k))))), body),
        empty,
      ),
      form ? h('div', { class: 'drill-side' }, h('section', { class: 'panel' }, h('h2', {}, t('voice.compose')), form.element)) : null,
    ),
  );
  const load = () =>
    void api<VoiceMessage[]>('/api/voice/messages').then((list) => {
      empty.hidden = list.length > 0;
      body.replaceChildren(...list.map(row));
    });
  // A message is a run: its progress comes as `drill` events; the list is re-read at most once a second.
  const reload = coalesce(load, RELOAD_MS);
  const unsubscribe = store.subscribe((c) => {
    if (c.all) form?.refreshDistricts();
    if (c.all || c.drills.size) reload.soon();
  });
  load();
  return () => {
    unsubscribe();
    reload.cancel();
  };
}
