// The compliance page without the platform: its pure helpers (compliance-model.ts) in Node, and
// the shipped console bundle on compliance.html in the real browser against a fake sign-in
// server and a fake audit API answered by the test itself (same CSP as the gateway's pages):
// search with the default range, paging, a record with hostile details shown as text, the
// inclusion proof, the chain check (intact and broken), the export with the token, the public
// key, the keyboard, and the refusals (no compliance role; 403 from the API).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, newContext, watch } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));

async function bundle(entry, format) {
  const out = await build({ entryPoints: [resolve(here, entry)], bundle: true, format, write: false, target: ['es2022'], logLevel: 'silent' });
  return out.outputFiles[0].text;
}

describe('compliance model (pure helpers)', () => {
  let m;
  before(async () => {
    // One bundle, so that the model's ApiError is the one the test makes.
    const out = await build({
      stdin: { contents: "export * from './console/compliance-model'; export { ApiError } from './lib/api';", resolveDir: resolve(here, '../src'), loader: 'ts' },
      bundle: true, format: 'esm', write: false, target: ['es2022'], logLevel: 'silent',
    });
    const js = out.outputFiles[0].text;
    m = await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`);
  });

  const filters = (f = {}) => ({ actor: '', action: '', resource: '', from: '', to: '', ...f });

  it('builds the query of the filters and says what is wrong in words', () => {
    const ok = m.filterQuery(filters({ actor: ' guest:1 ', action: 'moderation.*', resource: 'guest:guest:abc', from: '2026-11-03T10:00', to: '2026-11-03T11:30' }));
    assert.equal(ok.query.get('actor'), 'guest:1');
    assert.equal(ok.query.get('action'), 'moderation.*');
    assert.equal(ok.query.get('resource'), 'guest:guest:abc', 'the id may hold colons itself');
    assert.equal(ok.query.get('from'), new Date('2026-11-03T10:00').toISOString(), 'local input becomes an instant');
    assert.match(ok.query.get('to'), /Z$/);
    assert.equal(m.filterQuery(filters()).query.toString(), '', 'empty filters: no parameters');
    for (const [f, field, words] of [
      [{ action: 'moderation*' }, 'action', /prefix ending in \.\*/],
      [{ action: 'a b' }, 'action', /An action is/],
      [{ action: '*' }, 'action', /An action is/],
      [{ resource: 'conversation:' }, 'resource', /type:id/],
      [{ resource: 'con versation' }, 'resource', /type:id/],
      [{ from: 'yesterday' }, 'from', /not a date/],
      [{ from: '2026-11-03T12:00', to: '2026-11-03T11:00' }, 'to', /before its start/],
      [{ actor: 'x'.repeat(129) }, 'actor', /128/],
    ]) {
      const r = m.filterQuery(filters(f));
      assert.equal(r.query, undefined, JSON.stringify(f));
      assert.equal(r.field, field);
      assert.match(r.problem, words);
    }
    assert.ok(m.filterQuery(filters({ action: 'message.rejected' })).query);
    assert.ok(m.filterQuery(filters({ resource: 'conversation' })).query);
  });

  it('pages with a capped limit and the cursor', () => {
    const q = m.searchQuery(new URLSearchParams('action=a.*'), 9999, 42);
    assert.equal(q.get('limit'), '500');
    assert.equal(q.get('before'), '42');
    assert.equal(q.get('action'), 'a.*');
    assert.equal(m.searchQuery(new URLSearchParams(), 100, null).has('before'), false);
  });

  it('offers periods that end now, defaulting to the last 24 hours', () => {
    const now = new Date(2026, 10, 3, 14, 5).getTime();
    assert.deepEqual(m.periodRange('24h', now), { from: '2026-11-02T14:05', to: '' });
    assert.deepEqual(m.periodRange('1h', now), { from: '2026-11-03T13:05', to: '' });
    assert.deepEqual(m.periodRange('all', now), { from: '', to: '' });
    assert.equal(m.periodRange('custom', now), undefined);
    assert.equal(m.DEFAULT_PERIOD, '24h');
    assert.equal(m.fromLocalInput('2026-11-03T14:05').getTime(), new Date(2026, 10, 3, 14, 5).getTime());
    assert.equal(m.fromLocalInput('<script>'), undefined);
  });

  it('reads a page of records and drops what is not one', () => {
    const p = m.pageOf({ items: [{ seq: 2, event: { eventId: 'e2' } }, { seq: 'x' }, null, { seq: 1, event: {} }], nextBefore: 2 });
    assert.equal(p.items.length, 1);
    assert.equal(p.nextBefore, 2);
    assert.equal(m.pageOf({ items: [], nextBefore: null }).nextBefore, null);
    assert.deepEqual(m.pageOf('nonsense'), { items: [], nextBefore: null });
  });

  it('turns details into key/value pairs of text', () => {
    const d = m.detailEntries({ reasons: ['banned', 'spam'], scan: { verdict: 'clean', size: 12 }, note: '<img src=x onerror=alert(1)>', none: null, empty: [], deep: [{ a: 1 }] });
    assert.deepEqual(d, [
      ['reasons', 'banned, spam'], ['scan.verdict', 'clean'], ['scan.size', '12'], ['note', '<img src=x onerror=alert(1)>'],
      ['none', 'null'], ['empty', '(none)'], ['deep', '[{"a":1}]'],
    ]);
    assert.deepEqual(m.detailEntries(null), []);
    assert.deepEqual(m.detailEntries('just text'), [['value', 'just text']]);
  });

  it('says the chain check in plain words', () => {
    const ok = m.verifyWords({ ok: true, records: 1234, checkedAt: '2026-11-03T10:00:00Z', firstBroken: null, checkpoint: { treeSize: 1200, ok: true } });
    assert.equal(ok.ok, true);
    assert.equal(ok.headline, 'All 1,234 records are intact.');
    assert.match(ok.lines.join(' '), /latest signed checkpoint \(tree size 1,200\) matches/);
    assert.equal(m.verifyWords({ ok: true, records: 0 }).headline, 'The log is empty: there is nothing to check yet.');
    const broken = m.verifyWords({ ok: false, records: 50, firstBroken: { seq: 41, eventId: 'e41', problem: 'hash_mismatch', message: 'The stored record differs from what was hashed.' }, checkpoint: null });
    assert.equal(broken.ok, false);
    assert.equal(broken.headline, 'Record #41 was changed after it was written.');
    assert.match(broken.lines[0], /differs from what was hashed/);
    assert.match(m.verifyWords({ ok: false, records: 9, firstBroken: { seq: 7, problem: 'missing_records' } }).headline, /Records are missing at #7: they were deleted/);
    assert.match(m.verifyWords({ ok: false, records: 9, firstBroken: { seq: 7, problem: 'something_new' } }).headline, /Record #7 fails the check \(something_new\)/);
    const cp = m.verifyWords({ ok: true, records: 5, checkpoint: { treeSize: 6, ok: false, message: 'the log is shorter than the signed tree' } });
    assert.equal(cp.ok, false, 'a checkpoint that does not match is no intact log');
    assert.match(cp.lines.join(' '), /does not match: the log is shorter/);
  });

  it('names downloads safely', () => {
    assert.equal(m.dispositionName('attachment; filename="audit-export-2026.ndjson"', 'x'), 'audit-export-2026.ndjson');
    assert.equal(m.dispositionName("attachment; filename*=UTF-8''audit%20export.csv", 'x'), 'audit_export.csv');
    assert.equal(m.dispositionName('attachment; filename="../../etc/passwd"', 'x'), 'passwd');
    assert.equal(m.dispositionName(null, 'audit-export.ndjson'), 'audit-export.ndjson');
    assert.equal(m.dispositionName('attachment; filename=".."', 'f'), 'f');
  });

  it('writes the public key as the offline verifier reads it: base64 of the raw 32 bytes', () => {
    const raw = Buffer.alloc(32, 7);
    assert.equal(m.publicKeyFile(raw.toString('base64')), `${raw.toString('base64')}\n`);
    // An Ed25519 SubjectPublicKeyInfo loses its prefix.
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
    assert.equal(m.publicKeyFile(spki.toString('base64')), `${raw.toString('base64')}\n`);
    assert.throws(() => m.publicKeyFile(Buffer.alloc(16).toString('base64')));
  });

  it('explains API failures in words', () => {
    const e = (status, message = 'x') => new m.ApiError(status, 'c', message);
    assert.equal(m.complianceError(e(403)), 'You are not a compliance officer: this account may not read the audit trail.');
    assert.match(m.complianceError(e(401)), /sign-in has expired/);
    assert.equal(m.complianceError(e(404), 'The record cannot be loaded.'), 'The record cannot be loaded. It is not in the audit log.');
    assert.match(m.complianceError(e(503)), /audit service is unavailable/);
    assert.match(m.complianceError(e(0)), /cannot be reached/);
    assert.equal(m.complianceError(e(400, "'limit' must be at most 500")), "'limit' must be at most 500", 'the server names the field');
    assert.equal(m.complianceError(e(400, 'Request failed (400).'), 'The export cannot be made.'), 'The export cannot be made.');
    assert.equal(m.complianceError(new Error('x'), 'The export cannot be made.'), 'The export cannot be made. Please try again.');
  });
});

// ---- the page in the browser, against fakes ----

const ORIGIN = 'https://compliance.test';
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
const b64url = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims) => `${b64url({ alg: 'none' })}.${b64url(claims)}.sig`;
const HOSTILE = '<img src=x onerror=alert(1)>';

function record(seq, over = {}) {
  const eventId = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  return {
    seq, recordedAt: new Date(Date.now() - (100 - seq) * 60_000).toISOString(),
    hash: 'ab'.repeat(32), prevHash: 'cd'.repeat(32),
    event: {
      v: 1, eventId, occurredAt: new Date(Date.now() - (100 - seq) * 60_000).toISOString(),
      actor: { userId: `user-${seq}`, roles: ['moderator'], ip: null },
      action: 'moderation.ban', resource: { type: 'user', id: `target-${seq}` }, outcome: seq === 2 ? 'DENIED' : 'SUCCESS',
      details: { reason: 'abuse', note: HOSTILE, scan: { verdict: 'clean' } }, service: 'moderation-service',
      ...over,
    },
  };
}

/** A fake sign-in server and audit API; what the page asked is kept in `requests`. */
async function fakePlatform(browser, { roles = ['compliance'], forbidden = false, broken = false } = {}) {
  const [js, css, ccss, html] = await Promise.all([
    bundle('../src/console/console.ts', 'iife'),
    readFileSync(resolve(here, '../static/console/console.css'), 'utf8'),
    readFileSync(resolve(here, '../static/console/compliance.css'), 'utf8'),
    readFileSync(resolve(here, '../static/console/compliance.html'), 'utf8'),
  ]);
  const requests = [];
  let nonce = '';
  const records = [3, 2, 1].map((n) => record(n));
  const context = await newContext(browser);
  const json = (route, body, status = 200, headers = {}) => route.fulfill({ status, contentType: 'application/json', headers, body: JSON.stringify(body) });
  await context.route(`${ORIGIN}/**`, async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    const p = url.pathname;
    if (p.startsWith('/api/v1/audit/')) requests.push({ url, auth: req.headers().authorization });
    if (p === '/console/compliance.html') return route.fulfill({ contentType: 'text/html', headers: { 'Content-Security-Policy': CSP }, body: html });
    if (p === '/console/console.js') return route.fulfill({ contentType: 'text/javascript', body: js });
    if (p === '/console/console.css') return route.fulfill({ contentType: 'text/css', body: css });
    if (p === '/console/compliance.css') return route.fulfill({ contentType: 'text/css', body: ccss });
    if (p === '/api/v1/client-config') {
      return json(route, { oidc: { issuer: `${ORIGIN}/realms/chat`, clientId: 'chat-web' }, privacyPolicy: { version: '1', url: '/' }, webSocketPath: '/ws', subprotocol: 'chat.v1', heartbeatSec: 20, maxTextLength: 4000 });
    }
    if (p === '/realms/chat/.well-known/openid-configuration') {
      return json(route, { authorization_endpoint: `${ORIGIN}/realms/chat/auth`, token_endpoint: `${ORIGIN}/realms/chat/token`, end_session_endpoint: `${ORIGIN}/realms/chat/logout` });
    }
    if (p === '/realms/chat/auth') {
      nonce = url.searchParams.get('nonce');
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.search = new URLSearchParams({ code: 'c', state: url.searchParams.get('state') }).toString();
      return route.fulfill({ status: 302, headers: { Location: back.toString() } });
    }
    if (p === '/realms/chat/token') {
      const claims = { sub: 'officer-1', name: 'Carla Compliance', realm_access: { roles }, exp: Math.floor(Date.now() / 1000) + 300 };
      return json(route, { access_token: jwt(claims), id_token: jwt({ ...claims, nonce }), expires_in: 300 });
    }
    if (forbidden && p.startsWith('/api/v1/audit/')) return json(route, { code: 'forbidden', message: 'forbidden' }, 403);
    if (p === '/api/v1/audit/events') {
      const before = url.searchParams.get('before');
      return json(route, before ? { items: [records[2]], nextBefore: null } : { items: records.slice(0, 2), nextBefore: 2 });
    }
    if (p.startsWith('/api/v1/audit/events/')) {
      const r = records.find((x) => x.event.eventId === decodeURIComponent(p.split('/').pop()));
      return r ? json(route, r) : json(route, { code: 'not_found', message: 'no such event' }, 404);
    }
    const head = { treeSize: 3, rootHash: 'ef'.repeat(32), timestamp: '2026-11-03T10:00:00Z', keyId: 'audit-2026-1', signature: 'c2lnbmF0dXJl' };
    if (p.startsWith('/api/v1/audit/proofs/inclusion/')) {
      return json(route, { eventId: records[0].event.eventId, seq: 3, leafIndex: 2, treeSize: 3, leafHash: '12'.repeat(32), path: ['34'.repeat(32)], entry: {}, treeHead: head });
    }
    if (p === '/api/v1/audit/checkpoints/latest') return json(route, head);
    if (p === '/api/v1/audit/keys') return json(route, { keys: [{ keyId: 'audit-2026-1', algorithm: 'Ed25519', publicKey: Buffer.alloc(32, 9).toString('base64') }] });
    if (p === '/api/v1/audit/verify') {
      await new Promise((r) => setTimeout(r, 1500)); // long enough to see the busy state
      return json(route, broken
        ? { ok: false, records: 3, checkedAt: new Date().toISOString(), firstBroken: { seq: 2, eventId: records[1].event.eventId, problem: 'hash_mismatch', message: 'Its stored content no longer matches its hash.' }, checkpoint: null }
        : { ok: true, records: 1234, checkedAt: new Date().toISOString(), firstBroken: null, checkpoint: { treeSize: 1234, ok: true, message: '' } });
    }
    if (p === '/api/v1/audit/export') {
      const fmt = url.searchParams.get('format');
      return route.fulfill({
        status: 200,
        contentType: fmt === 'csv' ? 'text/csv' : 'application/x-ndjson',
        headers: { 'Content-Disposition': `attachment; filename="audit-export.${fmt}"` },
        body: fmt === 'csv' ? 'seq,recordedAt\n3,x\n' : `{"format":"securechat-audit-export/1"}\n${records.map((r) => JSON.stringify(r)).join('\n')}\n`,
      });
    }
    return route.fulfill({ status: 404, body: 'not here' });
  });
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(`${ORIGIN}/console/compliance.html`);
  await page.click('#signin');
  await page.waitForURL(`${ORIGIN}/console/compliance.html`);
  return { context, page, seen, requests };
}

describe('compliance page (fake API)', () => {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => browser?.close());

  it('searches the last 24 hours, pages, opens a record with its details as text, proves, verifies, exports', async () => {
    const { page, seen, requests } = await fakePlatform(browser);
    await page.locator('#results tbody tr[data-seq="3"]').waitFor();
    const first = requests.find((r) => r.url.pathname === '/api/v1/audit/events');
    const from = Date.parse(first.url.searchParams.get('from'));
    assert.ok(Math.abs(Date.now() - 86_400_000 - from) < 120_000, 'the default range is the last 24 hours');
    assert.equal(first.url.searchParams.has('to'), false);
    assert.equal(first.auth, `Bearer ${first.auth.slice(7)}`);
    assert.ok(requests.every((r) => r.auth?.startsWith('Bearer ')), 'every call carries the token');
    assert.match(await page.locator('#results tbody tr[data-seq="2"]').innerText(), /Denied/);
    await page.locator('#cmp-live', { hasText: '2 records found (older ones on the next page)' }).waitFor();
    // Older: the next page comes with before=nextBefore.
    await page.click('#older');
    await page.locator('#results tbody tr[data-seq="1"]').waitFor();
    assert.equal(requests.filter((r) => r.url.pathname === '/api/v1/audit/events').at(-1).url.searchParams.get('before'), '2');
    assert.ok(await page.locator('#older').isHidden(), 'no more pages');

    // A bad filter is refused in words before anything is asked.
    const asked = requests.length;
    await page.fill('#f-action', 'moderation*');
    await page.click('#f-search');
    await page.locator('#f-error', { hasText: 'prefix ending in .*' }).waitFor();
    assert.equal(await page.locator('#f-action').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-action');
    assert.equal(requests.length, asked);
    await page.fill('#f-action', 'moderation.*');
    await page.fill('#f-resource', 'user');
    await page.press('#f-action', 'Enter');
    await page.locator('#results caption', { hasText: 'action moderation.*, resource user' }).waitFor();
    const q = requests.filter((r) => r.url.pathname === '/api/v1/audit/events').at(-1).url.searchParams;
    assert.equal(q.get('action'), 'moderation.*');
    assert.equal(q.get('resource'), 'user');
    assert.equal(q.get('limit'), '100');

    // Keyboard only: Tab to the first record's button, Enter opens it, the focus goes to its heading.
    await page.locator('#results tbody tr[data-seq="3"] button').focus();
    await page.keyboard.press('Enter');
    await page.locator('#record-h', { hasText: 'Record #3: moderation.ban' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'record-h');
    assert.equal(await page.locator('#results tbody tr[data-seq="3"]').getAttribute('aria-current'), 'true');
    const details = page.locator('#record-details');
    assert.match(await details.innerText(), /note\s+<img src=x onerror=alert\(1\)>/);
    assert.match(await details.innerText(), /scan\.verdict\s+clean/);
    assert.equal(await page.locator('#record img').count(), 0, 'markup in details stays text');
    assert.match(await page.locator('#record .chain').innerText(), new RegExp(`${'ab'.repeat(32)}[\\s\\S]*${'cd'.repeat(32)}`));
    await page.click('#prove');
    await page.locator('#proof', { hasText: 'Record #3 is in the signed log: leaf index 2 in a tree of 3 records.' }).waitFor();
    assert.match(await page.locator('#proof-facts').innerText(), /audit-2026-1/);
    assert.match(await page.locator('#proof-facts').innerText(), new RegExp('ef'.repeat(32)));

    // The chain check shows that it is busy, then its result in words.
    await page.click('#verify-run');
    await page.locator('#verify[aria-busy=true] #verify-progress progress').waitFor();
    assert.ok(await page.locator('#verify-run').isDisabled());
    await page.locator('#verify-result.ok', { hasText: 'All 1,234 records are intact.' }).waitFor();
    assert.ok(await page.locator('#verify-progress').isHidden());

    // The export goes with the token and the filters of the last search, as a file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-ndjson')]);
    assert.equal(download.suggestedFilename(), 'audit-export.ndjson');
    const text = readFileSync(await download.path(), 'utf8');
    assert.match(text.split('\n')[0], /securechat-audit-export\/1/);
    const exp = requests.find((r) => r.url.pathname === '/api/v1/audit/export');
    assert.ok(exp.auth?.startsWith('Bearer '));
    assert.equal(exp.url.searchParams.get('action'), 'moderation.*');
    assert.equal(exp.url.searchParams.has('limit'), false);
    await page.locator('#export-status', { hasText: 'Downloaded audit-export.ndjson' }).waitFor();
    const [key] = await Promise.all([page.waitForEvent('download'), page.click('#key-list button.current')]);
    assert.equal(key.suggestedFilename(), 'audit-signing.pub');
    assert.equal(readFileSync(await key.path(), 'utf8'), `${Buffer.alloc(32, 9).toString('base64')}\n`);
    assert.equal(await page.locator('#offline-command').innerText(), './chat audit-verify audit-export.ndjson --public-key audit-signing.pub');
    assert.match(await page.locator('#checkpoint').innerText(), /3 records/);

    // A phone-sized screen: no sideways scrolling of the page.
    await page.setViewportSize({ width: 375, height: 667 });
    const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= 375, `no sideways scrolling (${width}px)`);
    assert.deepEqual(seen.csp, [], 'no CSP violation');
    assert.deepEqual(seen.dialogs, [], 'no dialog');
    assert.deepEqual(seen.errors.filter((e) => !/404/.test(e)), []);
  });

  it('a broken chain is said in words', async () => {
    const { page, context } = await fakePlatform(browser, { broken: true });
    await page.click('#verify-run');
    const result = page.locator('#verify-result.broken');
    await result.waitFor();
    assert.match(await result.innerText(), /Record #2 was changed after it was written\.[\s\S]*no longer matches its hash/);
    await context.close();
  });

  it('an account without the compliance role is told so and the page asks the API nothing', async () => {
    const { page, requests, context } = await fakePlatform(browser, { roles: ['agent'] });
    await page.getByRole('heading', { name: 'You are not a compliance officer' }).waitFor();
    assert.equal(await page.locator('#results').count(), 0);
    assert.deepEqual(requests, []);
    await context.close();
  });

  it('a 403 from the API is said in words on the banner', async () => {
    const { page, context } = await fakePlatform(browser, { forbidden: true });
    await page.locator('#banner.error', { hasText: 'You are not a compliance officer: this account may not read the audit trail.' }).waitFor();
    assert.match(await page.locator('#results tbody').innerText(), /not a compliance officer/);
    await context.close();
  });
});
