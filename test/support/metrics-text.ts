/** The sum of a Prometheus counter over the label sets whose labels match `labels` (all when omitted). */
export function metricSum(text: string, name: string, labels?: RegExp): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name || (labels && !labels.test(m[2] ?? ''))) continue;
    sum += Number(m[3]);
  }
  return sum;
}
