import { api } from './api.js';
import { h, setAttr, setText } from './dom.js';
import { drillResults } from './drill-results.js';
import { fmtDate, t } from './i18n.js';
import type { VoiceMessage } from './voice-types.js';

/** While a message is being spoken, its outcomes are re-read this often. */
const POLL_MS = 1_000;

/** One message: what was said, its state and summary, and every siren's outcome, live until it completes. */
export function voiceMessage(id: string): { element: HTMLElement; destroy(): void } {
  const state = h('span', { 'data-testid': 'voice-state', class: 'badge' });
  const summary = h('p', { 'data-testid': 'voice-summary' });
  const said = h('blockquote', { class: 'voice-quote' });
  const facts = h('p', { class: 'muted' });
  const skipped = h('p', { class: 'muted', 'data-testid': 'voice-skipped' });
  const results = drillResults();
  const element = h(
    'section',
    { class: 'panel voice-message' },
    h('p', {}, h('a', { href: '#/voice' }, `← ${t('voice.back')}`)),
    h('h2', {}, t('voice.title'), ' ', state),
    said,
    facts,
    summary,
    skipped,
    results.element,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gone = false;

  function draw(m: VoiceMessage): void {
    setAttr(state, 'data-state', m.state);
    setText(state, t(`voice.state.${m.state}`));
    setText(said, m.text ?? t('voice.recording'));
    setText(facts, `${t(`language.${m.language === 'en' ? 'en' : 'zh-CN'}`)} · ×${m.repeat} · ${m.sentBy ?? ''} ${fmtDate(m.sentAt)}${m.exercise ? ` · ${t('voice.exercise')}` : ''}`);
    setText(summary, t('voice.summary', m.summary));
    skipped.hidden = !m.skipped.length;
    setText(skipped, t('voice.skipped', { list: m.skipped.join('、') }));
    results.update(m.results);
  }

  async function load(): Promise<void> {
    const m = await api<VoiceMessage>(`/api/voice/messages/${encodeURIComponent(id)}`).catch(() => null);
    if (gone) return;
    if (m) draw(m);
    if (!m || m.state !== 'completed') timer = setTimeout(() => void load(), POLL_MS);
  }
  void load();
  return {
    element,
    destroy() {
      gone = true;
      clearTimeout(timer);
      results.destroy();
    },
  };
}
