// The compliance page in a real browser against the running platform: a guest session leaves an
// audit record (guest.session.created, through Kafka into audit-service); compliance1 (password
// and one-time code) lands on the compliance page, finds the record by actor, action prefix and
// resource type, opens it (all fields, details as text, hash and prevHash), proves its inclusion
// in the signed log, verifies the whole chain ("All N records are intact."), downloads the
// NDJSON and CSV exports of the search and the public key. agent1 is refused, by the page and
// by the API (403).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GATEWAY, keycloakLogin, launch, newContext, passwordToken, shot, unique, watch } from './support.mjs';

const PIPELINE = 60_000; // the audit event travels through Kafka into audit-service
const CHECKPOINT = 120_000; // an inclusion proof needs a signed checkpoint that covers the record

/** Repeats `step` until `done` holds or the time is up. */
async function until(what, ms, step, done) {
  const end = Date.now() + ms;
  for (;;) {
    await step();
    if (await done()) return;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

describe('compliance: search, record, inclusion proof, chain check, export', () => {
  let browser, context, page, seen, guestUserId, eventId;
  const guestName = unique('Audited guest');

  before(async () => {
    browser = await launch();
    context = await newContext(browser);
    page = await context.newPage();
    seen = watch(page);
  });

  after(async () => browser?.close());

  it('a guest session leaves an audit record', async () => {
    const cfg = await (await context.request.get(`${GATEWAY}/api/v1/client-config`)).json();
    const res = await context.request.post(`${GATEWAY}/api/v1/guest-sessions`, {
      data: { consent: { policyVersion: cfg.privacyPolicy.version, accepted: true }, displayName: guestName },
    });
    assert.equal(res.status(), 201);
    guestUserId = (await res.json()).userId;
    assert.match(guestUserId, /^guest:/);
  });

  it('compliance1 signs in with password and one-time code and lands on the compliance page', async () => {
    // A compliance officer who is no agent or moderator is sent from the console to the compliance page.
    await page.goto(`${GATEWAY}/console/`);
    await page.click('#signin');
    await keycloakLogin(page, 'compliance1');
    await page.waitForURL(`${GATEWAY}/console/compliance.html`);
    assert.match(await page.locator('#me').innerText(), /compliance/);
    // The first search (the last 24 hours) has run: records or the empty state, no error.
    await page.locator('#results tbody tr').first().waitFor();
    await page.locator('#results:not([aria-busy])').waitFor();
    assert.ok(await page.locator('#banner').isHidden(), 'no error banner');
    assert.equal(await page.locator('#f-period').inputValue(), '24h');
    assert.match(await page.locator('#f-from').inputValue(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it('searches by actor, action prefix and resource type and finds the guest\'s record', async () => {
    await page.fill('#f-actor', guestUserId);
    await page.fill('#f-action', 'guest.*');
    await page.fill('#f-resource', 'guest');
    const row = page.locator('#results tbody tr[data-event]', { hasText: 'guest.session.created' });
    await until('the guest\'s audit record', PIPELINE, async () => {
      await page.click('#f-search');
      await page.locator('#results:not([aria-busy])').waitFor();
    }, async () => (await row.count()) > 0);
    const rows = await page.locator('#results tbody tr[data-event]').count();
    assert.equal(await page.locator(`#results tbody tr[data-event] td[title="${guestUserId}"]`).count(), rows, 'only this guest\'s records');
    const words = await row.innerText();
    assert.match(words, /guest\.session\.created/);
    assert.match(words, /Success/);
    assert.match(words, /gateway-service/);
    assert.match(await page.locator('#results caption').innerText(), /action guest\.\*, resource guest/);
    eventId = await row.getAttribute('data-event');
    assert.match(eventId, /\S/);
    await shot(page, '25-compliance-search');
  });

  it('opens the record with all its fields, its details as text and its hashes, and proves its inclusion', async () => {
    await page.locator(`#results tbody tr[data-event="${eventId}"] button`).click();
    await page.locator('#record-h', { hasText: /Record #\d+: guest\.session\.created/ }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'record-h', 'the focus moves to the record');
    const facts = await page.locator('#record-facts').innerText();
    assert.ok(facts.includes(eventId), 'the event id');
    assert.ok(facts.includes(guestUserId), 'the actor');
    assert.match(facts, /gateway-service/);
    assert.match(await page.locator('#record-details').innerText(), /policyVersion\s+\S+/);
    const chain = await page.locator('#record .chain').innerText();
    assert.match(chain, /Hash\s+[0-9a-f]{64}/);
    assert.match(chain, /Previous hash\s+[0-9a-f]{64}/);
    // The record may be newer than the latest signed checkpoint: ask again until one covers it.
    const ok = page.locator('#proof .ok');
    await until('an inclusion proof', CHECKPOINT, async () => {
      await page.click('#prove');
      await page.locator('#prove:not([disabled])').waitFor();
    }, async () => (await ok.count()) > 0);
    assert.match(await ok.innerText(), /is in the signed log: leaf index [\d,]+ in a tree of [\d,]+ records/);
    const proof = await page.locator('#proof-facts').innerText();
    assert.match(proof, /Tree size\s+[\d,]+/);
    assert.match(proof, /Root hash\s+[0-9a-f]{64}/);
    assert.match(proof, /Signed with key\s+\S+/);
    await page.locator('#proof').evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await shot(page, '26-compliance-record');
  });

  it('verifies the chain and says all records are intact', async () => {
    await page.click('#verify-run');
    const result = page.locator('#verify-result.ok', { hasText: /All [\d,]+ records are intact\./ });
    await result.waitFor({ timeout: 120_000 });
    assert.ok(await page.locator('#verify-progress').isHidden(), 'the busy state has ended');
    await page.locator('#verify').evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await shot(page, '27-compliance-verify');
  });

  it('downloads the NDJSON and CSV exports of the search and the public key', async () => {
    const [ndjson] = await Promise.all([page.waitForEvent('download'), page.click('#export-ndjson')]);
    const text = readFileSync(await ndjson.path(), 'utf8');
    assert.match(text.split('\n')[0], /securechat-audit-export\/1/, 'a header line first');
    assert.ok(text.includes(eventId), 'the record of the search is in it');
    assert.match(ndjson.suggestedFilename(), /\.ndjson$/);
    await page.locator('#export-status', { hasText: /Downloaded .*\.ndjson/ }).waitFor();

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    assert.match(csv.suggestedFilename(), /\.csv$/);
    assert.ok(readFileSync(await csv.path(), 'utf8').includes(eventId));

    const [key] = await Promise.all([page.waitForEvent('download'), page.click('#key-list button.current')]);
    assert.equal(key.suggestedFilename(), 'audit-signing.pub');
    assert.match(readFileSync(await key.path(), 'utf8'), /^[A-Za-z0-9+/]{43}=\n$/, 'base64 of the raw 32-byte key, as .run/keys/audit-signing.pub');
    assert.equal(await page.locator('#offline-command').innerText(), './chat audit-verify audit-export.ndjson --public-key audit-signing.pub');
    assert.match(await page.locator('#checkpoint').innerText(), /Tree size\s+[\d,]+ records/);

    assert.deepEqual(seen.csp, [], 'no CSP violation');
    assert.deepEqual(seen.dialogs, [], 'no dialog opened');
  });
});

describe('compliance: refused to an agent', () => {
  let browser, context, page, seen;

  before(async () => {
    browser = await launch();
    context = await newContext(browser);
    page = await context.newPage();
    seen = watch(page);
  });

  after(async () => browser?.close());

  it('agent1 on the compliance page is told it is not for them, and the API answers 403', async () => {
    await page.goto(`${GATEWAY}/console/compliance.html`);
    await page.click('#signin');
    await keycloakLogin(page, 'agent1');
    await page.waitForURL(`${GATEWAY}/console/compliance.html`);
    await page.getByRole('heading', { name: 'You are not a compliance officer' }).waitFor();
    assert.match(await page.locator('.signin').innerText(), /This page is for compliance officers/);
    assert.equal(await page.locator('#results').count(), 0, 'no records');
    // The page only explains; the server decides.
    const auth = { Authorization: `Bearer ${await passwordToken('agent1')}` };
    for (const path of ['events?limit=1', 'verify', 'keys', 'checkpoints/latest', 'export?format=ndjson']) {
      const res = await context.request.get(`${GATEWAY}/api/v1/audit/${path}`, { headers: auth });
      assert.equal(res.status(), 403, path);
    }
    assert.deepEqual(seen.csp, []);
  });
});
