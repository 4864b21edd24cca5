import { ApiError, upload } from './api.js';
import { h, setAttr, setText } from './dom.js';
import { fmtNumber, fmtPercent, t } from './i18n.js';
import type { UploadedAudio } from './voice-types.js';

/** The service's size limit (API.md), checked here too so that a huge file is refused before it is sent. */
const MAX_BYTES = 20 * 1024 * 1024;
/** Media types the upload route takes as they are; any other file goes as bytes and the service judges its content. */
const RAW_TYPES = new Set(['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/mpeg', 'audio/ogg']);

type State = 'idle' | 'uploading' | 'ready' | 'refused';

export const fmtSeconds = (s: number): string => t('unit.seconds', { n: fmtNumber(s, true) });

export function fmtBytes(n: number): string {
  return n < 1024 * 1024 ? t('unit.kb', { n: fmtNumber(n / 1024, true) }) : t('unit.mb', { n: fmtNumber(n / 1024 / 1024, true) });
}

/** What the service found the file to be: format, length, size and the start of its sha256. */
export const audioFacts = (a: UploadedAudio): string => `${a.format.toUpperCase()} · ${fmtSeconds(a.durationS)} · ${fmtBytes(a.sizeBytes)} · sha256 ${a.sha256.slice(0, 12)}…`;

/** The refusal in the operator's language; the service's own words (English) follow as the detail. */
function refusalText(err: unknown): { text: string; detail: string } {
  if (!(err instanceof ApiError) || err.status === 0) return { text: t('voice.audioUnreachable'), detail: err instanceof Error ? err.message : String(err) };
  const detail = t('voice.audioServiceSaid', { message: err.message });
  if (err.status === 415) return { text: t('voice.audioNotAudio'), detail };
  if (err.status === 413) return { text: t('voice.audioTooBig'), detail };
  const long = err.status === 400 ? /plays ([\d.]+) s, longer/.exec(err.message) : null;
  if (long) return { text: t('voice.audioTooLong', { length: fmtSeconds(Number(long[1])) }), detail };
  return { text: err.status === 400 ? t('voice.audioBroken') : t('error.action', { message: err.message }), detail };
}

/**
 * The audio-file half of the compose form: a file input that uploads the chosen file at once (with its
 * progress), then shows what the service checked — or why it refused the file. Choosing another file
 * abandons an upload still under way.
 */
export function audioPicker(): { element: HTMLElement; chosen(): UploadedAudio | null; uploading(): boolean } {
  const input = h('input', { type: 'file', name: 'audio', accept: 'audio/wav,audio/mpeg,audio/ogg,.wav,.mp3,.ogg' });
  const progress = h('progress', { max: 1, value: 0, hidden: true, 'data-testid': 'voice-audio-progress' });
  const status = h('p', { 'data-testid': 'voice-audio', 'data-state': 'idle', role: 'status', 'aria-live': 'polite' }, t('voice.audioNone'));
  const detail = h('p', { class: 'muted', hidden: true, 'data-testid': 'voice-audio-detail' });
  const element = h(
    'div',
    { class: 'audio-picker' },
    h('label', { class: 'field' }, h('span', {}, t('voice.audioFile')), input),
    h('small', { class: 'muted' }, t('voice.audioHint')),
    progress,
    status,
    detail,
  );
  let state: State = 'idle';
  let audio: UploadedAudio | null = null;
  let current: AbortController | null = null;

  function show(next: State, text: string, more = ''): void {
    state = next;
    setAttr(status, 'data-state', next);
    status.className = next === 'refused' ? 'v-fail' : next === 'ready' ? 'v-pass' : '';
    setText(status, text);
    progress.hidden = next !== 'uploading';
    detail.hidden = !more;
    setText(detail, more);
  }

  async function send(file: File): Promise<void> {
    current?.abort();
    audio = null;
    const refuse = (why: { text: string; detail: string }) => show('refused', `✖ ${t('voice.audioRefused', { name: file.name, reason: why.text })}`, why.detail);
    if (file.size === 0) return refuse({ text: t('voice.audioEmpty'), detail: '' });
    if (file.size > MAX_BYTES) return refuse({ text: t('voice.audioTooBig'), detail: fmtBytes(file.size) });
    const mine = new AbortController();
    current = mine;
    const sent = (share: number) => {
      progress.value = share;
      setText(status, t('voice.audioUploading', { name: file.name, share: fmtPercent(share) }));
    };
    show('uploading', '');
    sent(0);
    try {
      const body = await upload<Omit<UploadedAudio, 'name'>>('/api/voice/audio', file, RAW_TYPES.has(file.type) ? file.type : 'application/octet-stream', sent, mine.signal);
      audio = { ...body, name: file.name };
      show('ready', `✓ ${file.name}: ${audioFacts(audio)}`);
    } catch (err) {
      if (!mine.signal.aborted) refuse(refusalText(err));
    } finally {
      if (current === mine) current = null;
    }
  }

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void send(file);
    else {
      current?.abort();
      audio = null;
      show('idle', t('voice.audioNone'));
    }
  });
  return { element, chosen: () => audio, uploading: () => state === 'uploading' };
}
