/**
 * Reads a V8 CPU profile (.cpuprofile) and names where the time went: functions by self time and by
 * total time (self plus callees), and self time by area (a package, a src/ folder, Node itself).
 * Compiled positions in dist/ are mapped back to the TypeScript line through the source maps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Cost {
  name: string;
  ms: number;
  share: number;
}
export interface ProfileSummary {
  totalMs: number;
  bySelf: Cost[];
  byTotal: Cost[];
  byArea: Cost[];
}

export function summariseProfile(file: string, root: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const locate = locator(root);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const area = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  // Depth first from the root, carrying the frames on the stack (once each, for recursion) for total time.
  const walk = (node: ProfileNode, stack: Set<string>) => {
    const where = locate(node.callFrame);
    const key = `${node.callFrame.functionName || '(anonymous)'} ${where.position}`.trim();
    const us = selfUs.get(node.id) ?? 0;
    add(self, key, us);
    add(area, where.area, us);
    const inner = stack.has(key) ? stack : new Set(stack).add(key);
    for (const k of inner) add(total, k, us);
    for (const child of node.children ?? []) walk(byId.get(child)!, inner);
  };
  walk(profile.nodes[0], new Set());

  const rank = (m: Map<string, number>, skipRoot = false) =>
    [...m]
      .filter(([k]) => !(skipRoot && k.startsWith('(root)')))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: us / totalUs }));
  return { totalMs: Math.round(totalUs / 1000), bySelf: rank(self), byTotal: rank(total, true), byArea: rank(area) };
}

/** Frame → `file:line` (TypeScript source where a map exists) and its area. */
function locator(root: string) {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (js: string) => {
    if (!maps.has(js)) maps.set(js, existsSync(`${js}.map`) ? new SourceMap(JSON.parse(readFileSync(`${js}.map`, 'utf8'))) : null);
    return maps.get(js)!;
  };
  return (frame: ProfileNode['callFrame']): { position: string; area: string } => {
    const { url, lineNumber, columnNumber } = frame;
    if (!url) return { position: '', area: frame.functionName || '(native)' };
    if (url.startsWith('node:')) return { position: `${url}:${lineNumber + 1}`, area: 'node (built-in modules)' };
    let file = url.startsWith('file:') ? fileURLToPath(url) : url;
    let line = lineNumber + 1;
    const entry = mapOf(file)?.findEntry(lineNumber, columnNumber);
    if (entry && 'originalSource' in entry && entry.originalSource) {
      file = resolve(dirname(file), entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource);
      line = entry.originalLine + 1;
    }
    const rel = relative(root, file);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
    const areaName = pkg ? pkg[1] : rel.startsWith('..') ? rel : dirname(rel);
    return { position: `${rel}:${line}`, area: areaName };
  };
}

export function formatSummary(s: ProfileSummary, file: string): string {
  const rows = (title: string, costs: Cost[]) =>
    [`  ${title}`, ...costs.map((c) => `    ${(c.share * 100).toFixed(1).padStart(5)} %  ${String(c.ms).padStart(6)} ms  ${c.name}`)].join('\n');
  return [
    `CPU profile of the service while ingesting (${s.totalMs} ms sampled; ${file}):`,
    rows('self time by area', s.byArea),
    rows('self time by function', s.bySelf),
    rows('total time (self + callees) by function', s.byTotal),
  ].join('\n');
}

// `node dist/bench/cpu-profile-summary.js FILE.cpuprofile`: the same summary for a profile kept from an earlier run.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
  console.log(formatSummary(summariseProfile(file, root), file));
}
