import { api, ApiError, download } from './api.js';
import { h } from './dom.js';
import { fmtDate, lang, t } from './i18n.js';
import { toast } from './toast.js';

interface StoredReport {
  month: string;
  lang: string;
  generatedAt: string;
}

async function save(path: string, filename: string): Promise<void> {
  try {
    await download(path, filename);
    toast(t('done.downloaded'));
  } catch (e) {
    toast(t('error.action', { message: e instanceof ApiError ? e.message : String(e) }), 'error');
  }
}

/** The monthly report of the chosen month (made now, in the console's language) and the ones stored at each month's end. */
export function monthlyReports(): { element: HTMLElement; show(month: string): void } {
  let month = '';
  const hint = h('p', { class: 'muted' });
  const button = (testid: string, text: string, onclick: () => void) => h('button', { type: 'button', class: 'btn', 'data-testid': testid, onclick }, text);
  const stored = h('ul', { class: 'stored-reports' });
  const element = h(
    'section',
    { class: 'panel' },
    h('h2', {}, t('reports.monthly')),
    hint,
    h(
      'div',
      { class: 'drill-actions' },
      button('download-monthly-html', t('reports.downloadHtml'), () => void save(`/api/reports/monthly?month=${month}&lang=${lang()}`, `sirenwatch-${month}-${lang()}.html`)),
      button('download-monthly-csv', t('reports.downloadCsv'), () => void save(`/api/reports/monthly.csv?month=${month}`, `sirenwatch-${month}.csv`)),
    ),
    h('h3', {}, t('reports.stored')),
    stored,
  );
  void api<StoredReport[]>('/api/reports/monthly/stored')
    .then((list) => {
      const mine = list.filter((r) => r.lang === lang());
      stored.replaceChildren(
        ...(mine.length
          ? mine.map((r) =>
              h(
                'li',
                { 'data-testid': `stored-${r.month}` },
                `${r.month} `,
                h('span', { class: 'muted' }, fmtDate(r.generatedAt, 'short')),
                ' ',
                button(`stored-html-${r.month}`, t('reports.downloadHtml'), () => void save(`/api/reports/monthly/stored/${r.month}?lang=${r.lang}`, `sirenwatch-${r.month}-${r.lang}.html`)),
                ' ',
                button(`stored-csv-${r.month}`, t('reports.downloadCsv'), () => void save(`/api/reports/monthly/stored/${r.month}/csv`, `sirenwatch-${r.month}.csv`)),
              ),
            )
          : [h('li', { class: 'muted' }, t('reports.storedNone'))]),
      );
    })
    .catch(() => undefined);
  return {
    element,
    show(m) {
      month = m;
      hint.textContent = t('reports.monthlyHint', { month: m });
    },
  };
}
