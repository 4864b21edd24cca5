import { connect, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP proxy a test can cut (live connections destroyed, new ones refused) and restore. */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private cutOff = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    return new Promise((resolve, reject) => {
      let proxy: TcpProxy;
      const server = createServer((client) => {
        if (proxy.cutOff) return client.destroy();
        const upstream = connect(targetPort, targetHost);
        for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
          proxy.sockets.add(a);
          a.on('error', () => b.destroy());
          a.on('close', () => {
            proxy.sockets.delete(a);
            b.destroy();
          });
          a.pipe(b);
        }
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        proxy = new TcpProxy(server, (server.address() as { port: number }).port);
        resolve(proxy);
      });
    });
  }

  /** The server is gone: every open connection breaks and new ones are refused. */
  cut(): void {
    this.cutOff = true;
    for (const s of this.sockets) s.destroy();
  }

  /** The link goes silent (a black hole, not a break): connections stay open and nothing passes. */
  stall(): void {
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
    }
  }

  restore(): void {
    this.cutOff = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
