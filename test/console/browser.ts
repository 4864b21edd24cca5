import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { IN_CI } from '../support/env.js';
import { ADMIN_PASSWORD, type TestService } from '../support/service.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Whether the browser tests can run here; under CI a missing browser is an error, never a skip. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (IN_CI) throw new Error(`CI=true but there is no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  process.stderr.write(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)\n`);
  return false;
}

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ARGS });

export const PASSWORDS = { admin: ADMIN_PASSWORD, engineer: 'engineer-password-1', operator: 'operator-password-1', viewer: 'viewer-password-1' };

/** Adds a user through the API (as the admin would). */
export async function addUser(svc: TestService, username: string, role: 'engineer' | 'operator' | 'viewer'): Promise<void> {
  const r = await svc.request('POST', '/api/users', { body: { username, password: PASSWORDS[role], role } });
  if (r.status !== 201) throw new Error(`create ${username}: ${r.status} ${JSON.stringify(r.body)}`);
}

/**
 * A console page that records every request it makes and every script error and console error,
 * for the checks that the page talks only to the service and runs clean.
 */
export class ConsolePage {
  readonly requests: string[] = [];
  readonly errors: string[] = [];
  /** Network failures are expected while a test cuts the network; they are not script errors. */
  expectNetworkErrors = false;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('request', (r) => this.requests.push(r.url()));
    page.on('websocket', (ws) => this.requests.push(ws.url()));
    page.on('pageerror', (e) => this.errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (this.expectNetworkErrors && /net::ERR_|Failed to load resource|Failed to fetch/.test(m.text())) return;
      this.errors.push(`console: ${m.text()}`);
    });
  }

  static async open(browser: Browser, baseUrl: string, viewport = { width: 1366, height: 768 }): Promise<ConsolePage> {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'Europe/Berlin' });
    return new ConsolePage(context, await context.newPage(), baseUrl);
  }

  async login(username: string, password: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/`);
    await this.page.fill('input[name=username]', username);
    await this.page.fill('input[name=password]', password);
    await this.page.click('button[type=submit]');
    await this.page.waitForSelector('[data-testid=summary-total]');
  }

  async go(hash: string): Promise<void> {
    await this.page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  }

  /** Requests to anything but the service's origin (data: URLs and this origin's Blob URLs stay in the page). */
  foreignRequests(): string[] {
    return this.requests.filter((u) => !u.startsWith(`${this.baseUrl}/`) && !u.startsWith(`blob:${this.baseUrl}/`) && !u.startsWith('data:'));
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
