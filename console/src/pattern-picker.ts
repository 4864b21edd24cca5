import { h } from './dom.js';
import { PATTERNS, SEQUENCE_918, VOICE_STEP } from './drill-types.js';
import { label, t } from './i18n.js';

export const patternLabel = (name: string): string => `${label('pattern', name)} (${name})`;

/**
 * The patterns of an audible drill, in order: add, move, remove, or take the 9·18 sequence at once.
 * A fieldset, so that disabling it (a silent test) disables every control in it.
 */
export function patternPicker(initial: string[] = [...SEQUENCE_918]): { element: HTMLFieldSetElement; value(): string[] } {
  let chosen = [...initial];
  const list = h('ol', { class: 'pattern-list' });
  const add = h('select', { name: 'addPattern', 'aria-label': t('plan.addPattern') }, ...[...PATTERNS, VOICE_STEP].map((p) => h('option', { value: p }, patternLabel(p))));
  const button = (text: string, title: string, onclick: () => void) => h('button', { type: 'button', class: 'btn small', title, 'aria-label': title, onclick }, text);
  const change = (next: string[]) => {
    chosen = next;
    draw();
  };
  const moved = (i: number, j: number) => {
    const next = [...chosen];
    [next[i], next[j]] = [next[j], next[i]];
    return next;
  };
  function draw(): void {
    list.replaceChildren(
      ...chosen.map((p, i) =>
        h(
          'li',
          { 'data-pattern': p },
          h('span', { class: 'pattern-name' }, patternLabel(p)),
          i > 0 ? button('↑', t('plan.moveUp'), () => change(moved(i, i - 1))) : null,
          i < chosen.length - 1 ? button('↓', t('plan.moveDown'), () => change(moved(i, i + 1))) : null,
          button('✕', t('plan.remove'), () => change(chosen.filter((_, k) => k !== i))),
        ),
      ),
    );
    if (!chosen.length) list.append(h('li', { class: 'muted' }, t('plan.noPatterns')));
  }
  const element = h(
    'fieldset',
    { class: 'pattern-picker' },
    h('legend', {}, t('plan.patterns')),
    list,
    h(
      'div',
      { class: 'row' },
      add,
      button('+', t('plan.addPattern'), () => change([...chosen, add.value])),
      h('button', { type: 'button', class: 'btn small', 'data-testid': 'preset-918', onclick: () => change([...SEQUENCE_918]) }, t('plan.preset918')),
    ),
  );
  draw();
  return { element, value: () => [...chosen] };
}
