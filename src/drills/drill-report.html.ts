import type { DrillEntity, DrillResultEntity } from './drill.entity.js';
import { localStamp } from '../common/local-time.js';
import { compare, summarize } from './drill-report.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);

/** A printable report: who ran what, pass rate per district (鸣响率), the failures, the change since last time. */
export function toHtml(d: DrillEntity, results: readonly DrillResultEntity[], previous: { drill: DrillEntity; results: DrillResultEntity[] } | null, timeZone: string): string {
  const time = (ms: number | null) => (ms === null ? '—' : `${localStamp(ms, timeZone)} ${timeZone}`);
  const s = summarize(results);
  const failures = results.filter((r) => r.verdict && r.verdict !== 'PASS' && r.verdict !== 'EXCUSED');
  const diff = previous ? compare(results, previous.results) : null;
  const districtRows = s.byDistrict
    .map((x) => `<tr><td>${esc(x.districtName)}</td><td>${esc(x.districtCode)}</td><td>${x.total}</td><td>${x.pass}</td><td>${x.fail}</td><td>${x.excused}</td><td>${pct(x.passRate)}</td></tr>`)
    .join('');
  const failureRows = failures
    .map((r) => `<tr><td>${esc(r.sirenId)}</td><td>${esc(r.districtName)}</td><td>${esc(r.verdict)}</td><td>${esc(r.detail)}</td></tr>`)
    .join('');
  const verdictRows = Object.entries(s.byVerdict)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `<tr><td>${esc(v)}</td><td>${n}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(d.name)} — 演练报告 drill report</title>
<style>body{font:14px system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border:1px solid #999;padding:.25rem .6rem;text-align:left}th{background:#eee}@media print{body{margin:0}}</style></head><body>
<h1>${esc(d.name)}</h1>
<p>演练 drill ${esc(d.id)} · ${esc(d.mode === 'audible' ? '鸣响 audible' : '静默 silent')} · ${esc(d.patterns.join(' → ') || 'silent test')} · timeScale ${d.timeScale}</p>
<p>开始 started ${time(d.startedAt)} · 结束 ended ${time(d.endedAt)} · 状态 state ${esc(d.state)} · 执行人 run by ${esc(d.startedBy ?? d.createdBy)}</p>
<h2>总体 Overall</h2><p>通过 pass ${s.pass} · 失败 fail ${s.fail} · 免测 excused ${s.excused} · 鸣响率 pass rate ${pct(s.pass + s.fail ? s.pass / (s.pass + s.fail) : null)}</p>
<table><tr><th>结论 verdict</th><th>数量 sirens</th></tr>${verdictRows}</table>
<h2>各区鸣响率 Pass rate by district</h2>
<table><tr><th>区 district</th><th>代码 code</th><th>总数 total</th><th>通过 pass</th><th>失败 fail</th><th>免测 excused</th><th>鸣响率 pass rate</th></tr>${districtRows}</table>
<h2>故障清单 Failures (${failures.length})</h2>
<table><tr><th>警报器 siren</th><th>区 district</th><th>结论 verdict</th><th>原因 detail</th></tr>${failureRows}</table>
${diff ? `<h2>与上次比较 Since ${esc(previous!.drill.name)} (${time(previous!.drill.startedAt)})</h2><p>新增失败 newly failing: ${esc(diff.newlyFailing.join(', ') || '—')}</p><p>已修复 fixed: ${esc(diff.fixed.join(', ') || '—')}</p>` : ''}
</body></html>`;
}
