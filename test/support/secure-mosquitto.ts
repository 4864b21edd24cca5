import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, tempDir } from './env.js';
import { waitForPort } from './mosquitto.js';
import { signalAndWait } from './process.js';

const DEPLOY = 'deploy/mosquitto';

/**
 * Mosquitto with the project's own deploy/mosquitto configuration (logins, ACL, TLS listener), moved
 * onto free loopback ports and a temporary directory; certificates from make-certs.sh, logins from
 * add-siren.sh — the same steps an operator follows.
 */
export class SecureMosquitto {
  readonly dir = tempDir('mosquitto-secure-');
  readonly certs = join(this.dir, 'certs');
  private readonly passwd = join(this.dir, 'passwd');
  private proc: ChildProcess | null = null;
  port = 0;
  tlsPort = 0;

  /** `requireCertificate`: the TLS listener also wants a client certificate signed by the CA. */
  constructor(private readonly o: { requireCertificate?: boolean } = {}) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get tlsUrl(): string {
    return `mqtts://127.0.0.1:${this.tlsPort}`;
  }

  /** A siren login made by add-siren.sh, and its client certificate by make-certs.sh. */
  addSiren(id: string, password: string): void {
    execFileSync('sh', [join(DEPLOY, 'add-siren.sh'), '-f', this.passwd, id, password], { stdio: 'ignore' });
    this.clientCertificate(id);
  }

  /** A client certificate (CN = name) from make-certs.sh: `certs/<name>.crt` and `.key`. */
  clientCertificate(name: string): void {
    execFileSync('sh', [join(DEPLOY, 'make-certs.sh'), '-d', this.certs, name], { stdio: 'ignore' });
  }

  /** A service account (sirenwatch, capfeed): add-siren.sh refuses those names on purpose. */
  addAccount(user: string, password: string): void {
    execFileSync('mosquitto_passwd', ['-b', this.passwd, user, password], { stdio: 'ignore' });
  }

  async start(): Promise<void> {
    [this.port, this.tlsPort] = [await freePort(), await freePort()];
    execFileSync('sh', [join(DEPLOY, 'make-certs.sh'), '-d', this.certs], { stdio: 'ignore' });
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    copyFileSync(join(DEPLOY, 'acl'), join(this.dir, 'acl'));
    const moved = readFileSync(join(DEPLOY, 'mosquitto.conf'), 'utf8')
      .replace(/^listener 1883$/m, `listener ${this.port} 127.0.0.1`)
      .replace(/^listener 8883$/m, `listener ${this.tlsPort} 127.0.0.1`)
      .replaceAll('/mosquitto/config/certs/', `${this.certs}/`)
      .replace(/^password_file .*$/m, `password_file ${this.passwd}`)
      .replace(/^acl_file .*$/m, `acl_file ${this.dir}/acl`)
      .replace(/^persistence_location .*$/m, `persistence_location ${this.dir}/data/`)
      .replace(/^log_dest .*$/m, `log_dest file ${this.dir}/mosquitto.log`);
    const unmoved = moved.split('\n').find((l) => !l.startsWith('#') && l.includes('/mosquitto/'));
    if (unmoved) throw new Error(`deploy/mosquitto/mosquitto.conf has a path this test does not move: ${unmoved}`);
    // Mosquitto drops root privileges before reading its files; keep it as whoever runs the test.
    // The TLS listener is the file's last, so a listener setting added at the end is its own.
    const tlsOnly = this.o.requireCertificate ? 'require_certificate true\n' : '';
    writeFileSync(join(this.dir, 'mosquitto.conf'), `${moved}\n${tlsOnly}user ${userInfo().username}\n`);
    this.proc = spawn('/usr/sbin/mosquitto', ['-c', join(this.dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await waitForPort(this.port, 5_000);
    await waitForPort(this.tlsPort, 5_000);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    await signalAndWait(p, 'SIGTERM');
  }
}
