// The moderator page in a real browser against the running platform: an agent reports a guest
// who wrote in a real conversation; moderator1 (password and one-time code) lands on the
// moderation page, sees the report with the evidence rendered safely, bans the guest for an
// hour; the guest's open widget says so in plain words; the moderator lifts the ban (and a
// mute by guest fingerprint, keyboard only) and they leave the list; a customer is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { GATEWAY, keycloakLogin, launch, newContext, passwordToken, shot, unique, watch } from './support.mjs';

const PIPELINE = { timeout: 60_000 }; // report and ban travel through Kafka and moderation-service

describe('moderation: report, evidence, ban, lift', () => {
  let browser, guestCtx, guest, agent, moderator, seen;
  const run = Math.random().toString(36).slice(2, 8);
  const guestName = unique('Rude guest');
  const insult = `You are all useless and I will find you, ${run}`;
  const markup = `<b>LOUD</b> read https://example.org/terms?id=${run}`;
  let conversationId, reportedUserId;
  const fingerprint = randomBytes(32).toString('hex');
  const w = (sel, opts) => guest.locator(`#securechat-widget ${sel}`, opts);

  before(async () => {
    browser = await launch();
    // Its own user agent, so the guest's fingerprint (address and user agent) is this test's alone.
    guestCtx = await newContext(browser, { userAgent: `Mozilla/5.0 SecureChatModerationTest/${run}` });
    guest = await guestCtx.newPage();
    agent = await (await newContext(browser)).newPage();
    moderator = await (await newContext(browser)).newPage();
    seen = [watch(guest), watch(agent), watch(moderator)];
  });

  after(async () => {
    // A failed run leaves nothing in force: what this test banned or muted is lifted here.
    try {
      const request = moderator?.context().request;
      const auth = { Authorization: `Bearer ${await passwordToken('moderator1')}` };
      for (const [kind, subject] of [['USER', reportedUserId], ['GUEST_FINGERPRINT', fingerprint]]) {
        if (!request || !subject) continue;
        const res = await request.get(`${GATEWAY}/api/v1/moderation/bans?kind=ALL&subjectKind=${kind}&subject=${encodeURIComponent(subject)}`, { headers: auth });
        for (const b of res.ok() ? await res.json() : []) {
          await request.delete(`${GATEWAY}/api/v1/moderation/bans/${b.id}?reason=test_cleanup`, { headers: auth });
        }
      }
    } finally {
      await browser?.close();
    }
  });

  it('an agent reports a guest who wrote in a real conversation', async () => {
    await agent.goto(`${GATEWAY}/console/`);
    await agent.click('#signin');
    await keycloakLogin(agent, 'agent1');
    await agent.waitForURL(`${GATEWAY}/console/`);
    await agent.locator('.conn[data-state=open]').waitFor();
    await agent.selectOption('#status', 'away');

    await guest.goto(`${GATEWAY}/demo/`);
    await w('.launcher').click();
    await w('#sc-name').fill(guestName);
    await w('#sc-consent').check();
    await w('#sc-subject').fill(`Complaint ${run}`);
    await w('#sc-start').click();
    await w('.status').getByText(/in the queue/).waitFor();
    const waiting = agent.locator('li[data-conversation]', { hasText: guestName });
    await waiting.getByRole('button', { name: 'Accept' }).click();
    const pane = agent.locator('.pane', { hasText: guestName });
    await pane.waitFor();
    conversationId = await pane.getAttribute('data-conversation');
    assert.ok(conversationId, 'the pane names its conversation');
    await w('.status').getByText(/You are chatting with/).waitFor();
    for (const text of [insult, markup]) {
      await w('#sc-text').fill(text);
      await w('#sc-text').press('Enter');
      await pane.locator('.msg', { hasText: text.slice(0, 20) }).waitFor();
    }
    await pane.getByRole('button', { name: 'Report user' }).click();
    await pane.locator('.drawer select').selectOption('abuse');
    assert.equal(await pane.locator('.drawer input[type=checkbox]:checked').count(), 2, 'both messages go as evidence');
    await pane.getByRole('button', { name: 'Send report' }).click();
    await pane.locator('.drawer').getByText('Report sent to the moderators.').waitFor();
  });

  it('moderator1 signs in with password and one-time code and sees the report in the queue', async () => {
    // A moderator who is no agent is sent from the console to the moderation page.
    await moderator.goto(`${GATEWAY}/console/`);
    await moderator.click('#signin');
    await keycloakLogin(moderator, 'moderator1');
    await moderator.waitForURL(`${GATEWAY}/console/moderation.html`);
    assert.match(await moderator.locator('#me').innerText(), /moderator/);
    const item = moderator.locator(`#report-list li[data-conversation="${conversationId}"]`);
    await item.waitFor(PIPELINE);
    const words = await item.innerText();
    assert.match(words, /abuse/);
    assert.match(words, /just now|min ago/);
    assert.match(words, /reputation/);
    await shot(moderator, '21-moderation-queue');
  });

  it('opening the report shows the evidence as text, with the link\'s real host', async () => {
    await moderator.locator(`#report-list li[data-conversation="${conversationId}"] button`).click();
    const evidence = moderator.locator('#report-detail .evidence');
    await evidence.locator('.msg', { hasText: insult }).waitFor();
    const loud = evidence.locator('.msg', { hasText: '<b>LOUD</b>' });
    await loud.waitFor();
    assert.equal(await evidence.locator('b').count(), 0, 'markup in a message stays text');
    const link = loud.locator('a.msg-link');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await loud.locator('.link-host').innerText(), ' (example.org)');
    assert.match(await moderator.locator('#detail-h').innerText(), new RegExp(`Report about ${guestName}`));
    await moderator.locator('#report-detail .facts dd', { hasText: 'yes, in this conversation' }).waitFor();
    reportedUserId = await moderator.locator('#report-detail .facts dd .id').first().innerText();
    assert.match(reportedUserId, /\S/);
    // Prefilled from the report: the reason, and the reported user as the one to act on.
    assert.equal(await moderator.locator('#act-reason').inputValue(), 'abuse');
    assert.match(await moderator.locator('#act-h').innerText(), new RegExp(guestName));
    assert.equal(await moderator.locator('#mod-live').getAttribute('aria-live'), 'polite');
    await shot(moderator, '22-moderation-evidence');
  });

  it('a ban for one hour ends the guest\'s chat, and the widget says so in plain words', async () => {
    await moderator.selectOption('#act-expiry', 'PT1H');
    await moderator.locator('#act-ban').click();
    await moderator.locator('#mod-live', { hasText: `Banned ${guestName} for 1 hour` }).waitFor();
    // The report is closed as actioned: no longer in the open queue.
    await moderator.locator(`#report-list li[data-conversation="${conversationId}"]`).waitFor({ state: 'detached' });
    const banner = w('.banner.error');
    await banner.getByText(/blocked from chatting/).waitFor(PIPELINE);
    assert.match(await banner.innerText(), /blocked from chatting by our moderators, so this chat has ended/);
    assert.ok(await w('#sc-text').isDisabled(), 'nothing more can be written');
    await w('.status').getByText('This chat has ended.').waitFor();
    await shot(guest, '24-widget-banned');
  });

  it('the bans list shows the ban and a mute by guest fingerprint; lifting removes them', async () => {
    const ban = moderator.locator(`#ban-list li[data-subject="${reportedUserId}"]`);
    await ban.waitFor();
    assert.match(await ban.innerText(), /ban[\s\S]*abuse[\s\S]*until .*\(in (\d+ min|1 h)\)[\s\S]*by you/);
    // A mute by guest fingerprint from the form (a made-up fingerprint: nobody else is hit).
    await moderator.selectOption('#sub-kind', 'GUEST_FINGERPRINT');
    await moderator.selectOption('#sub-action', 'MUTE');
    await moderator.selectOption('#sub-expiry', 'PT1H');
    await moderator.selectOption('#sub-reason', 'spam');
    await moderator.fill('#sub-subject', 'not-a-fingerprint');
    await moderator.click('#sub-apply');
    await moderator.locator('#bans .form-error', { hasText: '64 characters' }).waitFor();
    await moderator.fill('#sub-subject', fingerprint.toUpperCase());
    await moderator.click('#sub-apply');
    await moderator.locator('#mod-live', { hasText: 'Muted Guest fingerprint' }).waitFor();
    const mute = moderator.locator(`#ban-list li[data-subject="${fingerprint}"]`);
    await mute.waitFor();
    assert.match(await mute.innerText(), /mute[\s\S]*Guest fingerprint[\s\S]*spam/);
    await moderator.locator('#bans').evaluate((e) => e.scrollIntoView());
    await shot(moderator, '23-moderation-bans');

    await ban.getByRole('button', { name: /Lift/ }).click();
    await ban.locator('.lift-form select').selectOption('mistake');
    await ban.getByRole('button', { name: 'Lift ban' }).click();
    await ban.waitFor({ state: 'detached' });
    await moderator.locator('#mod-live', { hasText: 'Ban of User' }).waitFor();

    // The mute is lifted with the keyboard alone.
    await mute.locator('button.lift').focus();
    await moderator.keyboard.press('Enter');
    assert.equal(await moderator.evaluate(() => document.activeElement?.tagName), 'SELECT', 'the reason is focused');
    await moderator.keyboard.press('Tab');
    await moderator.keyboard.press('Enter');
    await moderator.locator('#mod-live', { hasText: 'Mute of Guest fingerprint' }).waitFor();
    await mute.waitFor({ state: 'detached' });
    // Lifted on the server too, not only off the page.
    const token = await passwordToken('moderator1');
    const res = await moderator.context().request.get(`${GATEWAY}/api/v1/moderation/bans?kind=ALL&limit=500`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status(), 200);
    const subjects = (await res.json()).map((x) => x.subject);
    assert.ok(!subjects.includes(reportedUserId) && !subjects.includes(fingerprint), 'neither is in force any more');

    // The report is kept as resolved.
    await moderator.selectOption('#report-status', 'RESOLVED');
    const resolved = moderator.locator(`#report-list li[data-conversation="${conversationId}"]`);
    await resolved.waitFor();
    assert.match(await resolved.innerText(), /actioned/);
  });

  it('the page fits a phone-sized screen', async () => {
    await moderator.setViewportSize({ width: 375, height: 667 });
    const width = await moderator.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= 375, `no sideways scrolling (${width}px)`);
    for (const s of seen) {
      assert.deepEqual(s.csp, [], 'no CSP violation');
      assert.deepEqual(s.dialogs, [], 'no dialog opened');
    }
  });
});

describe('moderation: refused to a customer', () => {
  let browser, context, page, seen;

  before(async () => {
    browser = await launch();
    context = await newContext(browser);
    page = await context.newPage();
    seen = watch(page);
  });

  after(async () => browser?.close());

  it('a customer who signs in on the moderation page is told it is not for them, and the API refuses too', async () => {
    await page.goto(`${GATEWAY}/console/moderation.html`);
    await page.click('#signin');
    await keycloakLogin(page, 'customer1', { otp: false });
    await page.waitForURL(`${GATEWAY}/console/moderation.html`);
    await page.getByRole('heading', { name: 'You are not a moderator' }).waitFor();
    assert.equal(await page.locator('#report-list').count(), 0, 'no report list');
    // The page only explains; the server decides.
    const token = await passwordToken('customer1');
    const res = await context.request.get(`${GATEWAY}/api/v1/moderation/reports`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status(), 403);
    assert.deepEqual(seen.csp, []);
  });
});
