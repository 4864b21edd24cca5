/** Small figures helpers shared by the scale, latency and drill benches. */

/** The q-quantile (0–1) of `values` by nearest rank; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** One line of a bench table: what, the figure, and its target with whether it was met. */
export function figure(what: string, value: string, target?: { text: string; met: boolean }): string {
  return `  ${what.padEnd(58)} ${value.padStart(14)}${target ? `   target ${target.text}: ${target.met ? 'met' : 'MISSED'}` : ''}`;
}

export const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Times `n` sequential calls of `call`, in ms. */
export async function timeCalls(n: number, call: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call();
    out.push(performance.now() - t0);
  }
  return out;
}
