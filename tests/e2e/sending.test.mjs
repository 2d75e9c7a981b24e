// End-to-end: a finalised dossier waits as "Chờ gửi" while the portal is down, and becomes
// "Đã nộp – mã …" by itself when the portal comes up. The real window, the real portal.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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


test('a queued dossier goes from "Chờ gửi" to "Đã nộp" when the portal comes up', async () => {
  const dataDir = tempDataDir();
  const places = await portalPlaces();
  const { portalDir, token, url } = places;
  const cli = (...args) =>
    JSON.parse(execFileSync(bin('hoso'), ['--json', ...args], { env: { ...process.env, HOSO_DATA_DIR: dataDir } }).toString());

  const d = completeCertifiedSignature(cli, dataDir);
  assert.equal(cli('finalize', d.id).state, 'queued');

  const app = await launchApp({
    display: display.display,
    dataDir,
    env: { HOSO_PORTAL_URL: url, HOSO_PORTAL_TOKEN: token },
  });
  let portal;
  try {
    const b = app.browser;
    await b.setWindowRect(0, 0, 1366, 768);
    const item = await b.$('[data-testid=open-dossier]');
    await item.waitForDisplayed({ timeout: 15_000 });
    const chip = await b.$('[data-testid=open-dossier] [data-testid=state-chip]');
    assert.equal(await chip.getText(), 'Chờ gửi');
    await item.click();
    const panel = await b.$('[data-testid=sending-panel]');
    await panel.waitForDisplayed({ timeout: 15_000 });
    assert.ok((await panel.getText()).includes('Chờ gửi'));
    await b.waitUntil(async () => (await (await b.$('[data-testid=sync-status]')).getText()).includes('Chưa kết nối'), {
      timeout: 20_000,
      timeoutMsg: 'the window never said the portal is unreachable',
    });
    await screenshot(b, 'sending-waiting');

    // The portal comes up; HoSo notices by itself (no click).
    portal = startPortal(places);
    await b.waitUntil(async () => {
      const text = await (await b.$('[data-testid=sending-panel] [data-testid=state-chip]')).getText();
      return text.startsWith('Đã nộp – mã HS-');
    }, { timeout: 90_000, interval: 500, timeoutMsg: 'the dossier did not reach "Đã nộp" after the portal came up' });
    const receipt = await (await b.$('[data-testid=receipt]')).getText();
    assert.match(receipt, /^HS-\d{6}-\d{6}-[A-Z]$/);
    await b.execute(() => window.scrollTo(0, 0));
    await screenshot(b, 'sending-received');
    const bad = await axeViolations(b, 'sending-received');
    assert.deepEqual(bad, [], JSON.stringify(bad, null, 2));

    // The receipt as a PDF, for printing or keeping.
    await (await b.$('[data-testid=save-receipt]')).click();
    const toast = await b.$('.toast');
    await toast.waitForDisplayed({ timeout: 10_000 });
    const saved = (await toast.getText()).match(/(\/\S+\.pdf)/)?.[1];
    assert.ok(saved, `no path in: ${await toast.getText()}`);
    assert.ok(readFileSync(saved).subarray(0, 5).toString() === '%PDF-', `${saved} is not a PDF`);

    const held = JSON.parse(execFileSync(bin('hoso-portal'), ['dossiers', 'list', '--data', portalDir]).toString());
    assert.equal(held.length, 1);
    assert.equal(held[0].clientId, d.id);
    assert.equal(held[0].receipt, receipt);
  } finally {
    await app.close();
    portal?.kill('SIGTERM');
  }
});
