// End-to-end: "Nhận ảnh từ điện thoại". The real window opens the phone bridge for one paper; a
// real WebKit browser (the phone) opens the address from the QR dialog and sends a photo from its
// gallery; the photo appears in the open dossier and is made into a page. Then photos posted
// straight to the bridge measure the time from an upload finishing to the page being on screen.
// "Xong" stops the bridge: its address no longer answers.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { axeViolations, launchApp, openFirstDossier, openPhoneBrowser, root, screenshot, startDisplay, tempDataDir } from './harness.mjs';

const cli = process.env.HOSO_CLI_BINARY ?? path.join(root, 'target', 'debug', 'hoso');
const photo = path.join(root, 'crates', 'hoso-scan', 'tests', 'fixtures', 'p003_normal.jpg');
const paper = 'giay_chung_sinh';
let display;

before(async () => {
  display = await startDisplay();
});

after(() => display?.stop());

/** Pages shown in the paper's list, with their states. */
async function pageStates(b) {
  return b.execute(
    (code) => [...document.querySelectorAll(`[data-component="${code}"] [data-testid=page]`)].map((li) => li.dataset.state),
    paper,
  );
}

test('a photo sent from the phone page appears in the open dossier; closing stops the bridge', async () => {
  const dataDir = tempDataDir();
  const env = { ...process.env, HOSO_DATA_DIR: dataDir };
  execFileSync(cli, ['--json', 'new', '--procedure', '1.001193', '--field', 'applicant.full_name=Lò Thị Mai'], { env });
  const app = await launchApp({ display: display.display, dataDir, env: { HOSO_BRIDGE_ADDRESS: '127.0.0.1' } });
  let phone;
  try {
    const b = app.browser;
    await openFirstDossier(b);

    await (await b.$(`[data-component="${paper}"] [data-testid=from-phone]`)).click();
    const urlEl = await b.$('[data-testid=phone-url]');
    await urlEl.waitForDisplayed({ timeout: 15_000 });
    const url = await urlEl.getText();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/p\/[0-9a-f]{32}\/$/);
    assert.ok(await b.execute(() => !!document.querySelector('[data-testid=phone-qr] svg rect, [data-testid=phone-qr] svg path')), 'a QR code is drawn');
    await screenshot(b, 'phone-dialog');
    const bad = await axeViolations(b, 'phone-dialog');
    assert.deepEqual(bad, [], `axe found serious/critical problems: ${JSON.stringify(bad, null, 2)}`);

    // The phone: a real WebKit opens the page and sends a photo from its gallery.
    phone = await openPhoneBrowser(display.display);
    const p = phone.browser;
    await p.url(url);
    await (await p.$('label.primary')).waitForDisplayed({ timeout: 15_000 });
    assert.match(await (await p.$('body')).getText(), /Chụp ảnh[\s\S]*Chọn ảnh có sẵn/);
    await (await p.$('#gallery')).addValue(photo);
    await p.waitUntil(async () => /Máy tính đã nhận 1 ảnh/.test(await (await p.$('#summary')).getText()), {
      timeout: 30_000,
      timeoutMsg: 'the phone never saw its photo arrive',
    });
    assert.match(await (await p.$('#list')).getText(), /p003_normal\.jpg[\s\S]*Máy tính đã nhận ✓/);
    const phoneDone = Date.now();
    await b.waitUntil(async () => (await pageStates(b)).length === 1, {
      timeout: 10_000,
      interval: 25,
      timeoutMsg: 'the phone photo never appeared in the dossier',
    });
    const firstShown = Date.now() - phoneDone;
    await b.waitUntil(async () => (await pageStates(b))[0] === 'done', {
      timeout: 60_000,
      timeoutMsg: 'the phone photo was never made into a page',
    });
    assert.match(await (await b.$('[data-testid=phone-received]')).getText(), /Đã nhận 1 ảnh/);
    assert.match(await (await b.$('[data-testid=phone-dialog]')).getText(), /127\.0\.0\.1 · 1 ảnh/);
    // What the phone shows (WebKit's own screenshot: the phone's window is not drawn on X).
    await p.saveScreenshot(path.join(root, 'target', 'e2e', 'phone-page.png'));
    await phone.close();
    phone = undefined;

    // Latency, from an upload finishing (the 201) to the page being on screen, five times.
    const bytes = readFileSync(photo);
    const latencies = [firstShown];
    for (let i = 2; i <= 6; i++) {
      const res = await fetch(`${url}up`, {
        method: 'POST',
        headers: { 'X-File-Name': `IMG_000${i}.jpg` },
        body: bytes,
        signal: AbortSignal.timeout(30_000),
      });
      assert.equal(res.status, 201, await res.text());
      const t0 = Date.now();
      await b.waitUntil(async () => (await pageStates(b)).length === i, {
        timeout: 20_000,
        interval: 25,
        timeoutMsg: `photo ${i} never appeared`,
      });
      latencies.push(Date.now() - t0);
    }
    latencies.sort((x, y) => x - y);
    console.log(`phone bridge: upload finished → page on screen: median ${latencies[3]} ms, max ${latencies.at(-1)} ms (n=6: ${latencies.join(', ')})`);
    await screenshot(b, 'phone-received');

    // "Xong": the bridge stops, and the address from the QR code no longer answers.
    await (await b.$('[data-testid=phone-done]')).click();
    await b.waitUntil(async () => !(await (await b.$('[data-testid=phone-dialog]')).isExisting()), {
      timeout: 5000,
      timeoutMsg: 'the dialog did not close',
    });
    await b.waitUntil(
      async () => {
        try {
          await fetch(url, { signal: AbortSignal.timeout(1000) });
          return false;
        } catch {
          return true;
        }
      },
      { timeout: 5000, timeoutMsg: 'the bridge still answers after "Xong"' },
    );
  } finally {
    await phone?.close();
    await app.close();
  }
});
