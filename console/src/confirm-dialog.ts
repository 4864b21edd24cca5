import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * Asks the operator to confirm a consequential action (abort a drill, sound sirens). The body says
 * what will happen; Cancel has the focus, so Enter alone does nothing. Resolves true on confirmation.
 */
export function confirmDialog(title: string, body: Node[], confirmLabel: string): Promise<boolean> {
  const cancel = h('button', { type: 'button', class: 'btn' }, t('action.cancel'));
  const form = h(
    'form',
    { method: 'dialog', class: 'note-form' },
    h('h2', {}, '⚠ ', title),
    ...body,
    h('div', { class: 'dialog-buttons' }, cancel, h('button', { type: 'submit', class: 'btn danger', 'data-testid': 'confirm' }, confirmLabel)),
  );
  const dialog = h('dialog', { class: 'note-dialog confirm-dialog', 'aria-label': title }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let confirmed = false;
    form.addEventListener('submit', () => (confirmed = true));
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(confirmed);
    });
    dialog.showModal();
    cancel.focus();
  });
}
