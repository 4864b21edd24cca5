import type { MonthlyData } from './monthly-report.js';
import { localStamp } from '../common/local-time.js';
import { texts, type ReportLang } from './report-texts.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);

/** Seconds as `1 d 02:03:04` (days only when there are some). */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  const d = Math.floor(s / 86_400);
  const hms = [Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return d ? `${d} d ${hms}` : hms;
}

const table = (head: readonly string[], rows: readonly (readonly unknown[])[], none: string) =>
  rows.length
    ? `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`
    : `<p class="none">${esc(none)}</p>`;

/** The printable monthly report in one language; times on the office's wall clock. */
export function monthlyHtml(m: MonthlyData, lang: ReportLang): string {
  const l = texts(lang);
  const time = (ms: number | null) => (ms === null ? l.open : localStamp(ms, m.timeZone));
  const figures = (r: { availability: number | null; offlineSeconds: number; impairedSeconds: number; mttrSeconds: number | null; repairs: number }) => [
    pct(r.availability),
    duration(r.offlineSeconds),
    duration(r.impairedSeconds),
    duration(r.mttrSeconds),
    r.repairs,
  ];
  const availHead = [l.availability, l.offline, l.impaired, l.mttr, l.repairs];
  const typesSeen = m.faultsByType.map((f) => f.type);
  const inProgress = m.to < m.generatedAt ? '' : ` ${l.inProgress}`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(l.title)} ${esc(m.month)}</title>
<style>body{font:14px system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border:1px solid #999;padding:.25rem .6rem;text-align:left}th{background:#eee}.lead{font-size:1.4rem}@media print{body{margin:0}h2{break-after:avoid}}</style></head><body>
<h1>${esc(l.title)} ${esc(m.month)}</h1>
<p>${esc(l.period)}: ${esc(time(m.from))} — ${esc(time(m.to))} (${esc(l.timeZone)} ${esc(m.timeZone)})${esc(inProgress)} · ${esc(l.generated)}: ${esc(time(m.generatedAt))}</p>
<h2>${esc(l.availability)}</h2>
<p class="lead" data-from="${new Date(m.from).toISOString()}" data-to="${new Date(m.to).toISOString()}" data-fleet-availability="${m.fleet.availability ?? ''}">${esc(l.fleet)}: ${pct(m.fleet.availability)} · ${esc(l.sirens)} ${m.fleet.sirens} · ${esc(l.mttr)} ${duration(m.fleet.mttrSeconds)}</p>
<p>${esc(l.definition)}</p>
${table([l.district, l.code, l.sirens, ...availHead], m.districts.map((d) => [d.districtName, d.districtCode, d.sirens, ...figures(d)]), l.none)}
<h2>${esc(l.worst)}</h2>
${table([l.siren, l.district, ...availHead], m.worst.map((s) => [`${s.sirenId} ${s.sirenName}`, s.districtName, ...figures(s)]), l.none)}
<h2>${esc(l.faults)}</h2>
${table([l.type, l.severity, l.count], m.faultsByType.map((f) => [l.fault(f.type), l.word(f.severity), f.count]), l.none)}
<h2>${esc(l.faultsByDistrict)}</h2>
${table([l.district, l.total, ...typesSeen.map((t) => l.fault(t))], m.faultsByDistrict.map((d) => [d.districtName, d.total, ...typesSeen.map((t) => d.byType[t] ?? 0)]), l.none)}
<h2>${esc(l.incidents)}</h2>
${table([l.kind, l.district, l.sirens, l.opened, l.closed], m.incidents.map((i) => [l.word(i.kind), i.districtName ?? '—', i.sirenCount, time(i.openedAt), time(i.closedAt)]), l.none)}
<h2>${esc(l.drills)}</h2>
${table([l.name, l.mode, l.state, l.started, l.pass, l.fail, l.excused, l.passRate], m.drills.map((d) => [d.name, l.word(d.mode), l.word(d.state), time(d.startedAt), d.pass, d.fail, d.excused, pct(d.passRate)]), l.none)}
</body></html>
`;
}
