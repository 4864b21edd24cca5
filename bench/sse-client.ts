/** A minimal reader of the service's live stream (GET /api/stream), noting when each event arrived. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface StreamEvent {
  event: string;
  data: unknown;
  at: number;
}

/**
 * The TCP port a process listens on, from /proc (Linux): the service picks its own port, and the bench
 * needs it for a streaming request, which ServiceProcess.request (it reads the whole answer) cannot make.
 */
export function listeningPort(pid: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // Closed between the listing and the read.
    }
  }
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[3] === '0A' && inodes.has(f[9])) return parseInt(f[1].split(':')[1], 16); // 0A: LISTEN
  }
  throw new Error(`process ${pid} listens on no IPv4 TCP port`);
}

export class SseClient {
  private readonly abort = new AbortController();
  private listeners: ((e: StreamEvent) => void)[] = [];

  private constructor() {}

  /** Connects and resolves once the stream's first event (the summary) has come. */
  static async open(url: string, token: string): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(`${url}/api/stream`, { headers: { authorization: `Bearer ${token}` }, signal: client.abort.signal });
    if (res.status !== 200 || !res.body) throw new Error(`GET /api/stream answered ${res.status}`);
    const first = new Promise<void>((resolve) => client.on(() => resolve()));
    void client.read(res.body);
    await first;
    return client;
  }

  on(listener: (e: StreamEvent) => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of body) {
        const at = Date.now();
        buffered += decoder.decode(chunk, { stream: true });
        const frames = buffered.split('\n\n');
        buffered = frames.pop()!;
        for (const frame of frames) {
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data) for (const l of this.listeners) l({ event, data: JSON.parse(data), at });
        }
      }
    } catch (e) {
      if (!this.abort.signal.aborted) throw e;
    }
  }
}
