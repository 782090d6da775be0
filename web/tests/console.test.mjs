// The signed-in customer and the console's other duties, in a real browser against the running
// platform: sign-in from the widget (code flow with PKCE), the customer's earlier conversations
// (authorized), supervisors watching a queue and opening a conversation, transfer, report, close;
// then keyboard-only use on a phone-sized screen.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GATEWAY, keycloakLogin, launch, newContext, shot, unique, watch } from './support.mjs';

async function signInConsole(page, user) {
  await page.goto(`${GATEWAY}/console/`);
  await page.click('#signin');
  await keycloakLogin(page, user);
  await page.waitForURL(`${GATEWAY}/console/`);
  await page.locator('.conn[data-state=open]').waitFor();
}

describe('signed-in customer, supervisor, transfer and report', () => {
  let browser, customer, agent, supervisor, seen;
  const firstSubject = unique('First question');
  const secondSubject = unique('Second question');
  const ping = unique('Are you still there?');
  const w = (sel, opts) => customer.locator(`#securechat-widget ${sel}`, opts);

  before(async () => {
    browser = await launch();
    customer = await (await newContext(browser)).newPage();
    agent = await (await newContext(browser)).newPage();
    supervisor = await (await newContext(browser)).newPage();
    seen = [watch(customer), watch(agent), watch(supervisor)];
  });

  after(async () => browser?.close());

  it('a customer signs in from the widget and has an earlier conversation', async () => {
    await customer.goto(`${GATEWAY}/demo/`);
    await w('.launcher').click();
    await w('#sc-signin').click();
    await keycloakLogin(customer, 'customer1', { otp: false });
    await customer.waitForURL(`${GATEWAY}/demo/`);
    await w('.signed-in').getByText('Signed in as Casey Customer').waitFor();
    assert.ok(!customer.url().includes('code='), 'the authorization code is removed from the address bar');
    const stored = await customer.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!/eyJ/.test(stored), 'no token in localStorage or sessionStorage');
    await w('#sc-subject').fill(firstSubject);
    await w('#sc-start').click();
    await w('.status').getByText(/in the queue/).waitFor();
    await w('#sc-text').fill('My first question: where is my invoice?');
    await w('#sc-text').press('Enter');
    await w('.msg.mine .delivery').getByText(/Delivered|Read/).waitFor();
    await w('#sc-end').click();
    await w('#sc-end-confirm').click();
    await w('.status').getByText(/This chat has ended/).waitFor();
    await w('#sc-new').click();
    await w('#sc-subject').fill(secondSubject);
    await w('#sc-start').click();
    await w('.status').getByText(/in the queue/).waitFor();
    await shot(customer, '12-widget-signed-in-customer');
  });

  it('the agent accepts it and reads the customer\'s earlier conversation', async () => {
    await signInConsole(agent, 'agent2');
    await agent.selectOption('#status', 'away');
    const item = agent.locator('li[data-conversation]', { hasText: secondSubject });
    await item.getByRole('button', { name: 'Accept' }).click();
    const pane = agent.locator('.pane', { hasText: 'Casey Customer' }).last();
    await pane.waitFor();
    await pane.getByRole('button', { name: 'Earlier conversations' }).click();
    const earlier = pane.locator('.drawer li', { hasText: firstSubject });
    await earlier.waitFor();
    await earlier.getByRole('button', { name: 'Read' }).click();
    await pane.locator('.drawer .msg', { hasText: 'My first question: where is my invoice?' }).waitFor();
    await shot(agent, '13-console-earlier-conversation');
  });

  it('a supervisor sees the conversation in progress in the queue and opens it', async () => {
    await signInConsole(supervisor, 'supervisor1');
    await w('#sc-text').fill(ping);
    await w('#sc-text').press('Enter');
    const inProgress = supervisor.locator('.card li', { hasText: secondSubject });
    await inProgress.waitFor();
    await shot(supervisor, '14-console-supervisor-queues');
    await inProgress.getByRole('button', { name: 'Open' }).click();
    assert.match(await inProgress.innerText(), /Casey Customer with Avery Agent/);
    await supervisor.locator('.pane .msg', { hasText: ping }).waitFor();
  });

  it('the agent reports the user, transfers to another queue and the conversation closes', async () => {
    const pane = agent.locator('.pane', { hasText: 'Casey Customer' }).last();
    await pane.getByRole('button', { name: 'Report user' }).click();
    await pane.locator('.drawer select').selectOption('abuse');
    await pane.getByRole('button', { name: 'Send report' }).click();
    await pane.locator('.drawer').getByText('Report sent to the moderators.').waitFor();
    await pane.getByRole('button', { name: 'Transfer' }).click();
    await pane.locator('.drawer select').selectOption('queue:billing');
    await pane.locator('.drawer').getByRole('button', { name: 'Transfer' }).click();
    await w('.log .system', { hasText: 'You have been transferred' }).waitFor();
    await pane.locator('.log .system', { hasText: 'Transferred to the billing queue' }).waitFor();
    // Handed on: the agent's pane is read-only now; the supervisor stays in the conversation.
    await pane.locator('.muted', { hasText: 'Handed on' }).waitFor();
    assert.ok(await pane.locator('textarea').isDisabled());
    await shot(agent, '15-console-transferred');
    await w('#sc-end').click();
    await w('#sc-end-confirm').click();
    await w('.status').getByText(/This chat has ended/).waitFor();
    await supervisor.locator('.pane', { hasText: ping }).locator('.muted', { hasText: 'Closed' }).waitFor();
    await shot(supervisor, '16-console-supervisor-closed');
    for (const s of seen) assert.deepEqual(s.csp, []);
  });
});

describe('keyboard only, on a phone-sized screen', () => {
  let browser, page;

  before(async () => {
    browser = await launch();
    page = await (await newContext(browser, { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true })).newPage();
  });

  after(async () => browser?.close());

  it('a guest opens the widget, consents and sends a message with the keyboard alone', async () => {
    await page.goto(`${GATEWAY}/demo/`);
    // Tab through the page until the widget's button has the focus.
    let onLauncher = false;
    for (let i = 0; i < 15 && !onLauncher; i++) {
      await page.keyboard.press('Tab');
      onLauncher = await page.evaluate(() => document.activeElement?.id === 'securechat-widget'
        && document.activeElement.shadowRoot?.activeElement?.classList.contains('launcher'));
    }
    assert.ok(onLauncher, 'the chat button is reachable with Tab');
    await page.keyboard.press('Enter');
    const w = (sel) => page.locator(`#securechat-widget ${sel}`);
    await w('#sc-name').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.id), 'sc-name', 'focus moves into the panel');
    await page.keyboard.type(unique('Keyboard guest'));
    await page.keyboard.press('Tab'); // subject
    await page.keyboard.press('Tab'); // consent
    await page.keyboard.press('Space');
    assert.ok(await w('#sc-consent').isChecked());
    await page.keyboard.press('Tab'); // Start chat
    await page.keyboard.press('Enter');
    await w('.status').getByText(/in the queue|chatting/).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.id), 'sc-text', 'focus is in the message box');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Enter');
    await w('.msg.mine .delivery').getByText(/Sent|Delivered/).waitFor();
    // The panel fits the screen: nothing wider than the viewport.
    const box = await w('.panel').boundingBox();
    assert.ok(box.width <= 375 && box.x >= 0, `panel fits: ${JSON.stringify(box)}`);
    const log = w('.log');
    assert.equal(await log.getAttribute('role'), 'log');
    assert.equal(await log.getAttribute('aria-live'), 'polite');
    await shot(page, '17-widget-phone-keyboard');
    // A burst beyond the per-connection flood limit (10, refilled 2/s): the extra messages are
    // refused, and the widget says so in plain words on each of them.
    for (let i = 1; i <= 14; i++) {
      await page.keyboard.type(`Burst ${i}`);
      await page.keyboard.press('Enter');
    }
    const refused = w('.msg.rejected .delivery').first();
    await refused.waitFor();
    const words = await refused.innerText();
    assert.match(words, /^Not sent: .*(too fast|slow down)/i, words);
    assert.doesNotMatch(words, /rate_limited/, 'no raw error code');
    await shot(page, '18-widget-message-refused');
    await page.keyboard.press('Escape');
    assert.ok(await w('.panel').isHidden(), 'Escape minimises the panel');
    // Reopen with the keyboard (focus went back to the button) and end the chat.
    await page.keyboard.press('Enter');
    await w('#sc-end').click();
    await w('#sc-end-confirm').click();
    await w('.status').getByText(/This chat has ended/).waitFor();
  });
});
