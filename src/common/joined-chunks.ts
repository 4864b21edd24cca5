/**
 * Many small buffers as chunks of about `size` bytes, each joined only when a stream pulls it: a large
 * answer (28 MB for 100 000 sirens) then never needs one fresh 28 MB allocation, whose page faults cost
 * more than the copying, and never holds more than a few chunks in memory.
 */
export function* joinedChunks(parts: readonly Buffer[], size = 64 * 1024): Generator<Buffer> {
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < parts.length; i++) {
    bytes += parts[i].length;
    if (bytes < size) continue;
    yield Buffer.concat(parts.slice(from, i + 1), bytes);
    from = i + 1;
    bytes = 0;
  }
  if (from < parts.length) yield Buffer.concat(parts.slice(from), bytes);
}

export const byteLength = (parts: readonly Buffer[]): number => parts.reduce((sum, p) => sum + p.length, 0);
