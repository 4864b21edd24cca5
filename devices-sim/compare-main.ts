#!/usr/bin/env node
/**
 * `npm run sim:compare -- --ground-truth FILE --drill ID [--url http://127.0.0.1:3000]`: fetches the
 * drill from the service and compares it with the simulator's ground truth. Exit 0 on full agreement,
 * 1 on any disagreement, 2 on bad input. Credentials: SIRENWATCH_TOKEN, or SIRENWATCH_USERNAME and
 * SIRENWATCH_PASSWORD (never on the command line, where other users could read them).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { compareWithGroundTruth, formatComparison, type DrillResultRow } from './compare.js';
import type { GroundTruth } from './ground-truth.js';

function fail(code: number, message: string): never {
  process.stderr.write(`sim:compare: ${message}\n`);
  process.exit(code);
}

async function token(base: string): Promise<string> {
  if (process.env.SIRENWATCH_TOKEN) return process.env.SIRENWATCH_TOKEN;
  const username = process.env.SIRENWATCH_USERNAME;
  const password = process.env.SIRENWATCH_PASSWORD;
  if (!username || !password) fail(2, 'set SIRENWATCH_TOKEN, or SIRENWATCH_USERNAME and SIRENWATCH_PASSWORD');
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) fail(2, `login as ${username} failed: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'ground-truth': { type: 'string' }, drill: { type: 'string' }, url: { type: 'string', default: 'http://127.0.0.1:3000' } } });
  if (!values['ground-truth'] || !values.drill) fail(2, 'usage: --ground-truth FILE --drill ID [--url URL]');
  let truth: GroundTruth;
  try {
    truth = JSON.parse(await readFile(values['ground-truth'], 'utf8')) as GroundTruth;
  } catch (e) {
    fail(2, `--ground-truth ${values['ground-truth']}: ${(e as Error).message}`);
  }
  if (!truth.sirens || typeof truth.sirens !== 'object') fail(2, `--ground-truth ${values['ground-truth']}: no "sirens" object`);
  const base = values.url!.replace(/\/$/, '');
  const res = await fetch(`${base}/api/drills/${encodeURIComponent(values.drill)}`, { headers: { authorization: `Bearer ${await token(base)}` } });
  if (!res.ok) fail(2, `drill ${values.drill}: HTTP ${res.status}`);
  const drill = (await res.json()) as { state: string; mode: 'audible' | 'silent'; results: DrillResultRow[] };
  if (drill.state !== 'completed') fail(2, `drill ${values.drill} is ${drill.state}, not completed`);
  const c = compareWithGroundTruth(truth, drill.mode, drill.results);
  process.stdout.write(formatComparison(c).join('\n') + '\n');
  process.exit(c.disagreements.length || c.notInTruth.length || c.compared === 0 ? 1 : 0);
}

main().catch((e: unknown) => fail(2, (e as Error).message));
