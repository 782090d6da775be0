// How message text is rendered (lib/render.ts), checked in the real browser with the shipped
// code: text stays text, links show their real host and cannot reach back, redacted spans show
// as redacted. The page lives on a fake origin answered by the test itself (no server needed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, newContext, shot, watch } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ORIGIN = 'https://harness.test';

describe('message rendering', () => {
  let browser, page, seen;

  before(async () => {
    const bundle = await build({
      entryPoints: [resolve(here, '../src/testing/render-harness.ts')],
      bundle: true, format: 'iife', write: false, target: ['es2022'],
    });
    const js = bundle.outputFiles[0].text;
    const css = '.msg{white-space:pre-wrap} mark.redacted{background:#222;color:#fff}';
    browser = await launch();
    const context = await newContext(browser);
    await context.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/harness.js') return route.fulfill({ body: js, contentType: 'text/javascript' });
      if (path === '/harness.css') return route.fulfill({ body: css, contentType: 'text/css' });
      return route.fulfill({
        contentType: 'text/html',
        // The same policy as the gateway's pages: no inline script.
        headers: { 'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'" },
        body: '<!doctype html><html><head><link rel="stylesheet" href="/harness.css"><script src="/harness.js"></script></head><body><ol id="log"></ol></body></html>',
      });
    });
    page = await context.newPage();
    seen = watch(page);
    await page.goto(`${ORIGIN}/`);
  });

  after(async () => browser?.close());

  const render = async (text, redactions = []) => {
    await page.evaluate(([t, r]) => window.renderMessage(t, r), [text, redactions]);
    return page.locator('#log li').last();
  };

  it('no code in the web clients turns strings into HTML', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const walk = (d) => readdirSync(d).flatMap((f) => (statSync(resolve(d, f)).isDirectory() ? walk(resolve(d, f)) : [resolve(d, f)]));
    for (const file of walk(resolve(here, '../src'))) {
      const code = readFileSync(file, 'utf8');
      assert.doesNotMatch(code, /innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, file);
    }
  });

  it('markup is shown as text and nothing runs', async () => {
    for (const text of ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '"><svg onload=alert(3)>', '&lt;b&gt; & <b>bold</b>']) {
      const li = await render(text);
      assert.equal(await li.innerText(), text);
      assert.equal(await li.locator('img, script, svg, b').count(), 0, `no element made from: ${text}`);
    }
    await page.waitForTimeout(300);
    assert.deepEqual(seen.dialogs, []);
  });

  it('links show their real host and open without a way back to the page', async () => {
    const li = await render('Pay at https://аpple.com/login or www.example.org/help, not javascript:alert(1)');
    const links = li.locator('a');
    assert.equal(await links.count(), 2, 'only the http(s) links are links');
    assert.equal(await links.nth(0).getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await links.nth(0).getAttribute('target'), '_blank');
    // The Cyrillic "а" lookalike shows as the punycode host the browser would really visit.
    assert.match(await li.locator('.link-host').nth(0).innerText(), /xn--pple-43d\.com/);
    assert.match(await li.locator('.link-host').nth(1).innerText(), /www\.example\.org/);
    assert.equal(await links.nth(1).getAttribute('href'), 'https://www.example.org/help');
    assert.match(await li.innerText(), /javascript:alert\(1\)/, 'the javascript: text stays plain text');
  });

  it('redacted spans are shown as redacted', async () => {
    const text = 'My card is **** **** **** 4242 and IBAN ****************1234.';
    const li = await render(text, [
      { kind: 'card', start: 11, end: 30 },
      { kind: 'iban', start: 40, end: 60 },
      { kind: 'bogus', start: 50, end: 999 }, // out of range: ignored, never thrown
    ]);
    const marks = li.locator('mark.redacted');
    assert.equal(await marks.count(), 2);
    assert.equal(await marks.nth(0).innerText(), '**** **** **** 4242');
    assert.equal(await marks.nth(0).getAttribute('title'), 'Redacted: card number');
    assert.equal(await marks.nth(1).getAttribute('title'), 'Redacted: bank account number');
    assert.equal(await li.innerText(), text, 'the text itself is unchanged');
    await shot(page, '20-render-redactions-and-links');
  });

  it('the widget warns on a page that is not secure', async () => {
    // The shipped widget, built here, on a plain-HTTP page (both answered by the test: the
    // browser keeps pages of other origins away from loopback services anyway).
    const widget = await build({ entryPoints: [resolve(here, '../src/widget/widget.ts')], bundle: true, format: 'iife', write: false });
    const context = await newContext(browser);
    await context.route('http://shop.test/**', (route) => new URL(route.request().url()).pathname === '/widget.js'
      ? route.fulfill({ body: widget.outputFiles[0].text, contentType: 'text/javascript' })
      : route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><html><body><h1>Plain HTTP shop</h1><script src="/widget.js" data-queue="support"></script></body></html>',
      }));
    const p = await context.newPage();
    await p.goto('http://shop.test/');
    const bannerLoc = p.locator('#securechat-widget .banner.insecure');
    await bannerLoc.waitFor({ state: 'attached' });
    assert.match(await bannerLoc.textContent(), /This page is not secure/);
    await context.close();
  });
});
