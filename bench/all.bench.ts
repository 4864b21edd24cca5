/**
 * `npm run bench`: every benchmark of issue 8 in turn — ingest, latency, scale, drill, failover — each
 * printing its own table, then every figure that has a target, together (bench/README.md). With options
 * (`npm run bench -- --quick`, `--db sqlite`, …) it runs the ingest bench alone, as before.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BENCHES = [
  ['ingest', 'ingest.bench.js'],
  ['latency', 'latency.bench.js'],
  ['scale', 'scale.bench.js'],
  ['drill', 'silent-drill.bench.js'],
  ['failover', 'failover.bench.js'],
] as const;

/** Runs one bench, its output passed through; resolves with its exit code and its lines that name a target. */
function run(file: string, args: string[]): Promise<{ code: number; targets: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(HERE, file), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      out += d.toString('utf8');
    });
    child.on('close', (code) => resolve({ code: code ?? 1, targets: out.split('\n').filter((l) => /\btarget\b/.test(l)) }));
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length) return (await run('ingest.bench.js', args)).code;
  const summary: string[] = [];
  let failed = 0;
  for (const [name, file] of BENCHES) {
    process.stdout.write(`\n=== bench ${name}\n`);
    const { code, targets } = await run(file, []);
    if (code !== 0) failed++;
    summary.push(...(code === 0 ? targets.map((t) => `${name.padEnd(9)} ${t.trim()}`) : [`${name.padEnd(9)} did not complete (exit ${code})`]));
  }
  process.stdout.write(['', 'every figure with a target (issue 8):', ...summary.map((l) => `  ${l}`), ''].join('\n'));
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code));
