// End-to-end: paying online. A certified signature costs 10.000đ: the window shows the fee
// before sending; the real portal asks for it; the window shows the VietQR code (read back from
// the screen's SVG by the CLI's own PNG of the same payload) and "Chờ thanh toán"; the operator
// records the bank's notice; the window changes to "Đã thanh toán" by itself.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  axeViolations, bin, completeCertifiedSignature, launchApp, portalPlaces, screenshot, startDisplay, startPortal,
  tempDataDir,
} from './harness.mjs';

let display;

before(async () => {
  display = await startDisplay();
});

after(() => display?.stop());


test('the fee is shown, the VietQR code is shown until the bank says it was paid', async () => {
  const dataDir = tempDataDir();
  const places = await portalPlaces();
  const { portalDir, token, url } = places;
  const env = { ...process.env, HOSO_DATA_DIR: dataDir, HOSO_PORTAL_URL: url, HOSO_PORTAL_TOKEN: token };
  const cli = (...args) => JSON.parse(execFileSync(bin('hoso'), ['--json', ...args], { env }).toString());

  const d = completeCertifiedSignature(cli, dataDir);
  const fee = cli('fee', d.id);
  assert.deepEqual([fee.kind, fee.total, fee.totalText], ['amount', 10000, '10.000đ']);

  const portal = startPortal(places);
  const app = await launchApp({ display: display.display, dataDir, env: { HOSO_PORTAL_URL: url, HOSO_PORTAL_TOKEN: token } });
  try {
    const b = app.browser;
    await b.setWindowRect(0, 0, 1366, 768);
    const item = await b.$('[data-testid=open-dossier]');
    await item.waitForDisplayed({ timeout: 15_000 });
    await item.click();
    const total = await b.$('[data-testid=fee-total]');
    await total.waitForDisplayed({ timeout: 15_000 });
    assert.equal(await total.getText(), '10.000đ');

    // Sent with the result to collect at the desk (the default).
    await (await b.$('[data-testid=finalize]')).click();
    await (await b.$('[data-testid=delivery-desk]')).waitForDisplayed({ timeout: 5000 });
    assert.equal(await (await b.$('[data-testid=delivery-desk]')).isSelected(), true);
    await screenshot(b, 'payment-confirm');
    await (await b.$('[data-testid=finalize-confirm]')).click();

    const state = await b.$('[data-testid=payment-state]');
    await state.waitForDisplayed({ timeout: 90_000, timeoutMsg: 'the portal never asked for the fee' });
    assert.equal(await state.getText(), 'Chờ thanh toán');
    assert.equal(await (await b.$('[data-testid=payment-amount]')).getText(), '10.000đ');
    const reference = await (await b.$('[data-testid=payment-reference]')).getText();
    assert.match(reference, /^HOSOHS\d{12}[A-Z]$/);
    assert.ok(await b.execute(() => !!document.querySelector('[data-testid=payment-qr] svg')), 'a QR code is drawn');
    await (await b.$('[data-testid=payment-panel]')).scrollIntoView();
    await screenshot(b, 'payment-waiting');
    const bad = await axeViolations(b, 'payment-waiting');
    assert.deepEqual(bad, [], JSON.stringify(bad, null, 2));

    // The CLI gives the same payload and its PNG (read back by the crate tests' decoder).
    const pay = cli('pay', d.id, '--qr', path.join(dataDir, 'vietqr.png'));
    assert.equal(pay.reference, reference);
    assert.match(pay.vietqr, /^000201010212/);
    assert.ok(existsSync(path.join(dataDir, 'vietqr.png')));
    assert.equal(readFileSync(path.join(dataDir, 'vietqr.png')).subarray(1, 4).toString(), 'PNG');

    // The bank's notice, entered by the operator; the person checks at once.
    execFileSync(bin('hoso-portal'), ['dossiers', 'pay', reference, '--data', portalDir]);
    await (await b.$('[data-testid=payment-check]')).click();
    await b.waitUntil(async () => (await (await b.$('[data-testid=payment-state]')).getText()) === '✓ Đã thanh toán', {
      timeout: 60_000,
      interval: 500,
      timeoutMsg: 'the window never showed "Đã thanh toán"',
    });
    const timeline = await (await b.$('[data-testid=timeline]')).getText();
    assert.match(timeline, /Đã thanh toán lệ phí – 10\.000đ/);
    assert.match(timeline, /Nhận kết quả: Tại bộ phận một cửa/);
    await (await b.$('[data-testid=payment-panel]')).scrollIntoView();
    await screenshot(b, 'payment-paid');
  } finally {
    await app.close();
    portal.kill('SIGTERM');
  }
});
