// End to end in a real browser against the running platform (./chat test starts it): a guest on
// the demo page and an agent in the console chat, through every step a person takes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GATEWAY, cuttableNetwork, keycloakLogin, launch, newContext, shot, unique, watch } from './support.mjs';

const XSS = '<img src=x onerror=alert(1)>';

describe('guest and agent chat end to end', () => {
  let browser, net, agentCtx, guestCtx, agent, guest, agentSeen, guestSeen;
  const guestName = unique('Guest');

  before(async () => {
    browser = await launch();
    net = await cuttableNetwork();
    agentCtx = await newContext(browser);
    guestCtx = await newContext(browser, { proxy: net.proxy });
    agent = await agentCtx.newPage();
    guest = await guestCtx.newPage();
    agentSeen = watch(agent);
    guestSeen = watch(guest);
  });

  after(async () => {
    await browser?.close();
    await net?.close();
  });

  const widget = (sel, opts) => guest.locator(`#securechat-widget ${sel}`, opts);

  it('the widget refuses to start without consent, and sends nothing', async () => {
    const requests = [];
    const sockets = [];
    guest.on('request', (r) => requests.push(r.url()));
    guest.on('websocket', (w) => sockets.push(w.url()));
    await guest.goto(`${GATEWAY}/demo/`);
    await widget('.launcher').click();
    await widget('#sc-name').fill(guestName);
    await widget('#sc-start').click();
    await assert.doesNotReject(widget('#sc-consent-error').getByText('Please accept the privacy notice').waitFor());
    assert.equal(requests.filter((u) => u.includes('/api/v1/guest-sessions')).length, 0, 'no guest session without consent');
    assert.equal(sockets.length, 0, 'no WebSocket without consent');
    await shot(guest, '01-widget-consent-required');
  });

  it('the agent signs in with password and one-time code', async () => {
    await agent.goto(`${GATEWAY}/console/`);
    await agent.click('#signin');
    await keycloakLogin(agent, 'agent1');
    await agent.waitForURL(`${GATEWAY}/console/`);
    await agent.locator('.conn[data-state=open]').waitFor();
    assert.match(await agent.locator('#me').innerText(), /agent/);
    // Away first: the guest must wait in the queue so that the agent can accept by hand.
    await agent.selectOption('#status', 'away');
    await shot(agent, '02-console-signed-in');
  });

  it('the guest starts a chat and sees the queue position; the agent sees the wait and accepts', async () => {
    await widget('#sc-consent').check();
    await widget('#sc-subject').fill('Delivery of order 1234');
    await widget('#sc-start').click();
    await widget('.status').getByText(/You are number \d+ in the queue/).waitFor();
    await shot(guest, '03-widget-queued');
    // The guest token stays in memory: nothing in web storage, no cookie.
    assert.equal(await guest.evaluate(() => localStorage.length + sessionStorage.length), 0, 'web storage is empty');
    assert.deepEqual(await guestCtx.cookies(), [], 'no cookie');
    const waiting = agent.locator('li[data-conversation]', { hasText: guestName });
    await waiting.waitFor();
    assert.match(await waiting.innerText(), /waiting \d+/);
    await shot(agent, '04-console-queue');
    await waiting.getByRole('button', { name: 'Accept' }).click();
    await agent.locator('.pane', { hasText: guestName }).waitFor();
    await widget('.status').getByText(/You are chatting with/).waitFor();
  });

  it('they chat with typing indicator, delivery states and read receipts', async () => {
    const pane = agent.locator('.pane', { hasText: guestName });
    await widget('#sc-text').fill('Hello, my parcel has not arrived');
    await pane.locator('.typing').getByText(/is typing/).waitFor();
    await widget('#sc-text').press('Enter');
    const mine = widget('.msg.mine', { hasText: 'my parcel has not arrived' });
    await mine.locator('.delivery').getByText(/Sent|Delivered|Read/).waitFor();
    await pane.locator('.msg', { hasText: 'my parcel has not arrived' }).waitFor();
    // The agent has not looked at the pane yet: one unread, in the pane and in the list; focusing it reads it.
    assert.equal(await pane.locator('header .badge').getAttribute('data-count'), '1');
    assert.equal(await agent.locator('#my-conversations li', { hasText: guestName }).locator('.badge').getAttribute('data-count'), '1');
    await pane.locator('textarea').click();
    await pane.locator('header .badge[data-count="0"]').waitFor({ state: 'attached' });
    await mine.locator('.delivery').getByText('Read').waitFor();
    await pane.locator('textarea').fill('Sorry to hear that. Let me check, one moment.');
    await widget('.typing').getByText(/is typing/).waitFor();
    await pane.locator('textarea').press('Enter');
    await widget('.msg.theirs', { hasText: 'Let me check' }).waitFor();
    await shot(guest, '05-widget-chatting');
    await shot(agent, '06-console-chatting');
  });

  it('markup in a message arrives as text and runs nothing', async () => {
    const pane = agent.locator('.pane', { hasText: guestName });
    await widget('#sc-text').fill(XSS);
    await widget('#sc-text').press('Enter');
    const got = pane.locator('.msg .text', { hasText: XSS });
    await got.waitFor();
    assert.equal(await got.innerText(), XSS);
    assert.equal(await pane.locator('.log img').count(), 0, 'no <img> element was created');
    assert.equal(await widget('.log img').count(), 0);
    await agent.waitForTimeout(500);
    assert.deepEqual(agentSeen.dialogs, [], 'no dialog opened in the console');
    assert.deepEqual(guestSeen.dialogs, [], 'no dialog opened in the widget');
    // A link shows its real host and cannot reach back to the page that opened it.
    await pane.locator('textarea').fill('Track it at https://tracking.example.com/p/1234');
    await pane.locator('textarea').press('Enter');
    const link = widget('.msg.theirs a.msg-link');
    await link.waitFor();
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.match(await widget('.msg.theirs .link-host').last().innerText(), /tracking\.example\.com/);
    await shot(agent, '07-console-markup-as-text');
  });

  it('the customer network drops and comes back: nothing lost, nothing doubled', async () => {
    const pane = agent.locator('.pane', { hasText: guestName });
    assert.ok(net.tunnels > 0, 'the guest reaches the gateway through the cuttable network');
    // First the worst moment: the message reaches the platform, its ack never reaches the guest.
    net.holdDownstream();
    await widget('#sc-text').fill('Sent, ack lost');
    await widget('#sc-text').press('Enter');
    await pane.locator('.msg', { hasText: 'Sent, ack lost' }).waitFor();
    assert.equal(await widget('.msg.mine', { hasText: 'Sent, ack lost' }).locator('.delivery').innerText(), 'Sending…');
    net.cut();
    await guestCtx.setOffline(true);
    await widget('.banner.lost').waitFor();
    await shot(guest, '08-widget-connection-lost');
    // Both sides write while the customer is cut off.
    await widget('#sc-text').fill('Written offline 1');
    await widget('#sc-text').press('Enter');
    await widget('#sc-text').fill('Written offline 2');
    await widget('#sc-text').press('Enter');
    await pane.locator('textarea').fill('Agent wrote while you were away');
    await pane.locator('textarea').press('Enter');
    await pane.locator('.msg.mine', { hasText: 'Agent wrote while you were away' }).locator('.delivery').getByText(/Delivered|Read/).waitFor();
    assert.equal(await widget('.msg', { hasText: 'Agent wrote while you were away' }).count(), 0);
    await guest.waitForTimeout(1_500);
    net.restore();
    await guestCtx.setOffline(false);
    await widget('.msg.theirs', { hasText: 'Agent wrote while you were away' }).waitFor({ timeout: 30_000 });
    await pane.locator('.msg', { hasText: 'Written offline 2' }).waitFor({ timeout: 30_000 });
    await widget('.msg.mine', { hasText: 'Written offline 2' }).locator('.delivery').getByText(/Delivered|Read/).waitFor();
    await widget('.banner.lost').waitFor({ state: 'hidden' });
    for (const text of ['Hello, my parcel has not arrived', 'Written offline 1', 'Written offline 2', 'Agent wrote while you were away', XSS, 'Sent, ack lost']) {
      assert.equal(await widget('.msg .text').filter({ hasText: text }).count(), 1, `once in the widget: ${text}`);
      assert.equal(await pane.locator('.msg .text').filter({ hasText: text }).count(), 1, `once in the console: ${text}`);
    }
    // In the same order on both sides (by seq).
    const seqOrder = async (loc) => (await loc.locator('.msg[data-seq]').evaluateAll((els) => els.map((e) => [Number(e.dataset.seq), e.querySelector('.text').textContent])));
    const g = await seqOrder(widget('.log'));
    const a = await seqOrder(pane.locator('.log'));
    assert.deepEqual(g.map(([s]) => s), [...g.map(([s]) => s)].sort((x, y) => x - y), 'widget shows messages in seq order');
    assert.deepEqual(g, a, 'both sides hold the same messages with the same seq');
    assert.ok(g.length >= 6);
    await shot(guest, '09-widget-after-reconnect');
  });

  it('the guest downloads the transcript and ends the chat', async () => {
    const [download] = await Promise.all([guest.waitForEvent('download'), widget('#sc-download').click()]);
    const path = await download.path();
    const text = (await import('node:fs')).readFileSync(path, 'utf8');
    assert.match(text, /Written offline 2/);
    assert.match(text, /Agent wrote while you were away/);
    assert.ok(text.includes(XSS));
    await widget('#sc-end').click();
    await widget('#sc-end-confirm').click();
    await widget('.status').getByText(/This chat has ended/).waitFor();
    await agent.locator('.pane', { hasText: guestName }).locator('.muted', { hasText: 'Closed' }).waitFor();
    await shot(guest, '10-widget-ended');
    await shot(agent, '11-console-closed');
    assert.deepEqual(guestSeen.csp, [], 'no CSP violation in the widget');
    assert.deepEqual(agentSeen.csp, [], 'no CSP violation in the console');
  });
});
