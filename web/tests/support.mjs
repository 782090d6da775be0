// Shared pieces of the browser tests: Debian's Chromium driven by playwright-core, the local
// stack's demo users, TOTP codes as Keycloak computes them, a network cut for one browser
// context (an HTTP CONNECT proxy the test can sever), and screenshots into test-output/.
import { chromium } from 'playwright-core';
import { createHmac } from 'node:crypto';
import { mkdirSync, existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GATEWAY = process.env.CHAT_GATEWAY_URL ?? 'https://127.0.0.1:8443';
export const PASSWORD = 'Chat-Demo-2026!';
export const SHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'test-output', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: ./chat test installs Debian's chromium package (or: apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root in a sandboxless container, on a closed network (docs/web-clients.md).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A browser context that trusts the local stack's certificate (self-made CA) and records what pages do. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 860 }, ...options });
  context.setDefaultTimeout(20_000);
  return context;
}

/** Watches a page: console errors, dialogs (none may open: alert(1) would be an XSS), CSP violations. */
export function watch(page) {
  const seen = { dialogs: [], errors: [], csp: [] };
  page.on('dialog', async (d) => {
    seen.dialogs.push(d.message());
    await d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') {
      seen.errors.push(m.text());
      if (/Content Security Policy/i.test(m.text())) seen.csp.push(m.text());
    }
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  return seen;
}

export async function shot(page, name) {
  const path = resolve(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** RFC 6238 code for Keycloak's OTP credential with a plain secret (its UTF-8 bytes are the key). */
export function totp(secret, atMs = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const h = createHmac('sha1', Buffer.from(secret, 'utf8')).update(counter).digest();
  const o = h[h.length - 1] & 0x0f;
  const bin = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

/** Signs in on Keycloak's pages: username and password, then the one-time code for staff. */
export async function keycloakLogin(page, username, { otp = true } = {}) {
  await page.waitForURL(/\/realms\/chat\/protocol\/openid-connect\/auth|login-actions/);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#kc-login');
  if (otp) {
    await page.waitForSelector('#otp');
    await page.fill('#otp', totp(`securechat-otp-${username}`));
    await page.click('#kc-login');
  }
}

/**
 * A forward proxy (HTTP CONNECT) for one browser context, so its network can be cut and
 * restored while the others keep theirs: cut() severs every open tunnel (the socket dies as on
 * a real network drop) and refuses new ones until restore().
 */
export async function cuttableNetwork() {
  const tunnels = new Set();
  let up = true;
  const server = net.createServer((client) => {
    client.once('data', (head) => {
      const line = head.toString('latin1').split('\r\n')[0];
      const m = /^CONNECT ([^:\s]+):(\d+) HTTP/.exec(line);
      if (!m || !up) {
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
        return;
      }
      const upstream = net.connect(Number(m[2]), m[1], () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      const pair = { client, upstream };
      tunnels.add(pair);
      const drop = () => {
        tunnels.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      upstream.on('error', drop);
      client.on('error', drop);
      upstream.on('close', drop);
      client.on('close', drop);
    });
    client.on('error', () => {});
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return {
    proxy: { server: `http://127.0.0.1:${port}`, bypass: '<-loopback>' },
    /**
     * Keeps the tunnels open but stops passing what the server sends (its data is dropped at the
     * next cut): a message reaches the server while its acknowledgement never arrives.
     */
    holdDownstream() {
      for (const t of tunnels) t.upstream.unpipe(t.client);
    },
    cut() {
      up = false;
      for (const t of tunnels) {
        t.client.destroy();
        t.upstream.destroy();
      }
      tunnels.clear();
    },
    restore() {
      up = true;
    },
    get tunnels() {
      return tunnels.size;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

export function unique(prefix) {
  return `${prefix} ${Math.random().toString(36).slice(2, 7)}`;
}

export const KEYCLOAK_REALM = `${process.env.CHAT_KEYCLOAK_URL ?? 'http://127.0.0.1:18080'}/realms/chat`;
const STAFF = new Set(['agent1', 'agent2', 'supervisor1', 'moderator1', 'compliance1', 'admin1']);

/**
 * An access token for a demo user by password grant (client chat-service, as the Java tests do;
 * staff add their one-time code): for API checks beside the pages, never handed to a page.
 */
export async function passwordToken(username) {
  const form = new URLSearchParams({
    grant_type: 'password', client_id: 'chat-service', client_secret: 'chat-service-local-secret',
    username, password: PASSWORD, scope: 'openid',
  });
  if (STAFF.has(username)) form.set('totp', totp(`securechat-otp-${username}`));
  const res = await fetch(`${KEYCLOAK_REALM}/protocol/openid-connect/token`, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`Keycloak refused the login of ${username}: HTTP ${res.status}`);
  return (await res.json()).access_token;
}
