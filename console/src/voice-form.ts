import { ApiError, api, post } from './api.js';
import { confirmDialog } from './confirm-dialog.js';
import { h } from './dom.js';
import { PATTERNS } from './drill-types.js';
import { fmtNumber, label, lang, t } from './i18n.js';
import { districtName } from './map-data.js';
import { patternLabel } from './pattern-picker.js';
import { navigate } from './router.js';
import { store } from './store.js';
import { toast } from './toast.js';
import { audioFacts, audioPicker, fmtSeconds } from './voice-audio.js';
import type { UploadedAudio, VoiceMessage, VoiceTemplate } from './voice-types.js';

const field = (text: string, control: HTMLElement) => h('label', { class: 'field' }, h('span', {}, text), control);

/**
 * An operator's spoken message: districts, language, text (free or from a template filled in with the
 * districts and a place) or an uploaded audio file, repeat, an optional tone for sirens without voice;
 * sent only after confirmation.
 */
export function voiceForm(): { element: HTMLElement; refreshDistricts(): void } {
  const districts = h('fieldset', { class: 'district-choices' }, h('legend', {}, t('voice.districts')));
  const language = h('select', { name: 'language' }, ...(['zh-CN', 'en'] as const).map((l) => h('option', { value: l, selected: l === lang() }, t(`language.${l}`))));
  const template = h('select', { name: 'template' }, h('option', { value: '' }, t('voice.templateNone')));
  const place = h('input', { name: 'place', maxlength: 100 });
  const text = h('textarea', { name: 'text', rows: 4, maxlength: 2000, required: true });
  const content = h('fieldset', {}, h('legend', {}, t('voice.content')), ...(['text', 'audio'] as const).map((k) => h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'content', value: k, checked: k === 'text' }), t(`voice.content.${k}`))));
  const audio = audioPicker();
  const textOnly = [field(t('voice.template'), template), field(t('voice.place'), place), field(t('voice.text'), text)];
  const repeat = h('input', { type: 'number', name: 'repeat', value: 1, min: 1, max: 5, step: 1, required: true });
  const tone = h('select', { name: 'tonePattern' }, h('option', { value: '' }, t('voice.toneNone')), ...PATTERNS.map((p) => h('option', { value: p }, patternLabel(p))));
  const timeScale = h('input', { type: 'number', name: 'timeScale', value: 1, min: 0.01, max: 1, step: 0.01, required: true });
  const exercise = h('input', { type: 'checkbox', name: 'exercise' });
  const submit = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'voice-send' }, t('voice.submit'));
  const form = h(
    'form',
    { class: 'plan-form', 'data-testid': 'voice-form', 'aria-label': t('voice.compose') },
    districts,
    content,
    h('div', { class: 'field-row' }, field(t('voice.language'), language), textOnly[0], textOnly[1]),
    textOnly[2],
    audio.element,
    h('div', { class: 'field-row' }, field(t('voice.repeat'), repeat), field(t('voice.tone'), tone), field(t('plan.timeScale'), timeScale)),
    h('label', { class: 'choice' }, exercise, t('voice.exercise')),
    submit,
  );
  let templates: VoiceTemplate[] = [];
  const byAudio = () => content.querySelector<HTMLInputElement>('input:checked')?.value === 'audio';
  /** Shows the text's controls or the file's; a hidden textarea must not be required, or the form never submits. */
  function showContent(): void {
    for (const el of textOnly) el.hidden = byAudio();
    text.required = !byAudio();
    audio.element.hidden = !byAudio();
  }
  const chosenCodes = () => [...districts.querySelectorAll<HTMLInputElement>('input:checked')].map((x) => x.value);
  const names = (codes: string[]) => {
    const known = new Map((store.summary?.byDistrict ?? []).map((d) => [d.districtCode, d.districtName]));
    return codes.map((c) => districtName(c, known.get(c) ?? null)).join(language.value === 'en' ? ', ' : '、');
  };

  /** A chosen template, filled in with the districts and the place in the message's language. */
  function fill(): void {
    const tpl = templates.find((x) => x.id === template.value);
    if (!tpl || byAudio()) return;
    const raw = language.value === 'en' ? tpl.textEn : tpl.textZh;
    text.value = raw.replaceAll('{district}', names(chosenCodes())).replaceAll('{place}', place.value.trim() || '…');
  }

  function refreshDistricts(): void {
    const checked = new Set(chosenCodes());
    districts.replaceChildren(
      districts.firstElementChild!,
      ...(store.summary?.byDistrict ?? []).map((d) =>
        h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'district', value: d.districtCode, checked: checked.has(d.districtCode) }), `${districtName(d.districtCode, d.districtName)} (${fmtNumber(d.total)})`),
      ),
    );
  }

  async function send(): Promise<void> {
    const codes = chosenCodes();
    const file = byAudio() ? audio.chosen() : null;
    const missing = !codes.length ? 'voice.needDistrict' : !byAudio() ? (text.value.trim() ? null : 'voice.needText') : audio.uploading() ? 'voice.audioWait' : file ? null : 'voice.needAudio';
    if (missing) return void toast(t(missing), 'error');
    const inScope = [...store.sirens.values()].filter((s) => codes.includes(s.districtCode));
    const speak = inScope.filter((s) => s.capabilities.includes('voice')).length;
    const others = inScope.length - speak;
    const says = { speak, districts: names(codes), repeat: repeat.valueAsNumber };
    const body: Node[] = file ? playing(file, says) : [h('p', {}, t('voice.confirmBody', says)), h('blockquote', { class: 'voice-quote' }, text.value.trim())];
    if (others) body.push(h('p', {}, tone.value ? t('voice.confirmTone', { n: others, pattern: patternLabel(tone.value) }) : t('voice.confirmSkipped', { n: others })));
    if (!(await confirmDialog(t('voice.confirmTitle'), body, t('voice.confirm')))) return;
    const draft = await post<VoiceMessage>('/api/voice/messages', {
      scope: { districtCodes: codes },
      language: language.value,
      ...(file ? { audioId: file.id } : { text: text.value.trim() }),
      repeat: repeat.valueAsNumber,
      tonePattern: tone.value || null,
      exercise: exercise.checked,
      timeScale: timeScale.valueAsNumber,
    });
    await post(`/api/voice/messages/${encodeURIComponent(draft.id)}/send`, {});
    toast(t('voice.sent'));
    navigate(`/voice/${encodeURIComponent(draft.id)}`);
  }

  form.addEventListener('change', (e) => {
    showContent();
    if (e.target !== text) fill();
  });
  place.addEventListener('input', fill);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit.disabled = true;
    send()
      .catch((err: unknown) => toast(t('error.action', { message: err instanceof ApiError ? err.message : String(err) }), 'error'))
      .finally(() => (submit.disabled = false));
  });
  void api<VoiceTemplate[]>('/api/voice/templates').then((list) => {
    templates = list;
    template.append(...list.map((x) => h('option', { value: x.id }, label('template', x.id) === x.id ? x.name : label('template', x.id))));
  });
  refreshDistricts();
  showContent();
  return { element: form, refreshDistricts };
}

/** The confirmation's words for a recording: which file, as the service checked it, and how long it plays. */
function playing(file: UploadedAudio, says: { speak: number; districts: string; repeat: number }): Node[] {
  return [
    h('p', {}, t('voice.confirmAudioBody', says)),
    h('blockquote', { class: 'voice-quote' }, `♪ ${file.name}`, h('br'), h('small', { class: 'muted' }, audioFacts(file))),
    h('p', { 'data-testid': 'voice-audio-length' }, t('voice.confirmAudioLength', { each: fmtSeconds(file.durationS), all: fmtSeconds(file.durationS * says.repeat) })),
  ];
}
