import { h } from './dom.js';
import { t } from './i18n.js';

export interface NoteAnswer {
  note: string | null;
  minutes: number;
}

const SHELVE_MINUTES = [15, 30, 60, 120, 240, 480];

function minutesLabel(m: number): string {
  return m < 60 ? t('duration.minutes', { n: m }) : t('duration.hours', { n: m / 60 });
}

/**
 * Asks for an optional note (and, for shelving, how long) before an action. Resolves with the
 * answer, or null when the operator cancels (Esc, the cancel button).
 */
export function askNote(title: string, o: { withMinutes?: boolean } = {}): Promise<NoteAnswer | null> {
  const note = h('textarea', { name: 'note', rows: 3, maxlength: 1000, placeholder: t('dialog.notePlaceholder') });
  const minutes = h('select', { name: 'minutes' }, ...SHELVE_MINUTES.map((m) => h('option', { value: m, selected: m === 60 }, minutesLabel(m))));
  const cancel = h('button', { type: 'button', class: 'btn' }, t('action.cancel'));
  const form = h(
    'form',
    { method: 'dialog', class: 'note-form' },
    h('h2', {}, title),
    h('label', {}, t('dialog.note'), note),
    o.withMinutes ? h('label', {}, t('dialog.minutes'), minutes) : null,
    h('div', { class: 'dialog-buttons' }, cancel, h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'ack-confirm' }, t('dialog.confirm'))),
  );
  const dialog = h('dialog', { class: 'note-dialog', 'aria-label': title }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer: NoteAnswer | null = null;
    form.addEventListener('submit', () => {
      answer = { note: note.value.trim() || null, minutes: Number(minutes.value) };
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    dialog.showModal();
    note.focus();
  });
}
