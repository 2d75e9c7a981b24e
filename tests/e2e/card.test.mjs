// End-to-end: "Quét CCCD". A photo of a (made-up) citizen ID card fills the applicant block in
// the real window: empty fields are ticked and filled; the name typed before is shown next to
// the card's and kept, because it was not ticked; the card's address (old units) is written in
// its new form. What the window fills is what `hoso cccd` reads from the same photo. Then the
// same card photographed "with a phone" through the phone bridge, and the address picker of
// the 2025 units searched by a name typed without diacritics.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { axeViolations, launchApp, openFirstDossier, openPhoneBrowser, root, screenshot, startDisplay, tempDataDir } from './harness.mjs';

const cli = process.env.HOSO_CLI_BINARY ?? path.join(root, 'target', 'debug', 'hoso');
const photo = path.join(root, 'crates', 'hoso-cccd', 'tests', 'fixtures', 'cccd-front.jpg');
let display;

before(async () => {
  display = await startDisplay();
});

after(() => display?.stop());


test('a card photo fills the applicant block, keeping what was typed unless ticked', async () => {
  const dataDir = tempDataDir();
  const env = { ...process.env, HOSO_DATA_DIR: dataDir };
  const card = JSON.parse(execFileSync(cli, ['cccd', photo]).toString());
  const d = JSON.parse(
    execFileSync(cli, ['--json', 'new', '--procedure', '1.001193', '--field', 'applicant.full_name=Lò Thị Mai'], { env }).toString(),
  );
  const app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    await openFirstDossier(b);
    await (await b.$('[data-testid=scan-card]')).click();
    await (await b.$('[data-testid=card-dialog]')).waitForDisplayed({ timeout: 10_000 });
    await (await b.$('[data-testid=card-file]')).addValue(photo);
    const read = await b.$('[data-testid=card-read]');
    await read.waitForDisplayed({ timeout: 30_000 });
    assert.equal(await read.getText(), `Đã đọc thẻ của ${card.full_name}, số ${card.id_number}.`);
    const ticks = await b.execute(() =>
      Object.fromEntries([...document.querySelectorAll('[data-testid=card-change]')].map((l) => [l.dataset.key, l.querySelector('input').checked])),
    );
    assert.deepEqual(ticks, {
      'applicant.full_name': false,
      'applicant.cccd': true,
      'applicant.dob': true,
      'applicant.sex': true,
      'applicant.address': true,
    });
    // The address: its new form is chosen, as printed is offered.
    assert.ok(card.address_new, 'the fixture card prints old units');
    const offered = await b.execute(() =>
      [...document.querySelectorAll('[data-testid=card-options] input')].map((i) => [i.dataset.kind, i.value, i.checked]),
    );
    assert.deepEqual(offered.slice(0, 2), [['new', card.address_new, true], ['card', card.address, false]]);
    await screenshot(b, 'card-dialog');
    const bad = await axeViolations(b, 'card-dialog');
    assert.deepEqual(bad, [], `axe: ${JSON.stringify(bad, null, 2)}`);
    await (await b.$('[data-testid=card-apply]')).click();
    await b.waitUntil(async () => !(await (await b.$('[data-testid=card-dialog]')).isExisting()), { timeout: 5000 });

    // Saved as typed would be: the store has the card's values, and the name typed before.
    const [y, m, dd] = card.date_of_birth.split('-');
    await b.waitUntil(
      async () => {
        const shown = JSON.parse(execFileSync(cli, ['--json', 'show', d.id], { env }).toString());
        return shown.values['applicant.cccd'] === card.id_number;
      },
      { timeout: 15_000, timeoutMsg: 'the card number was never saved' },
    );
    const shown = JSON.parse(execFileSync(cli, ['--json', 'show', d.id], { env }).toString());
    assert.equal(shown.values['applicant.full_name'], 'Lò Thị Mai');
    assert.equal(shown.values['applicant.dob'], `${dd}/${m}/${y}`);
    assert.equal(shown.values['applicant.sex'], card.sex);
    assert.equal(shown.values['applicant.address'], card.address_new);
    await screenshot(b, 'card-filled');
  } finally {
    await app.close();
  }
});


test('a card photographed with the phone is read on the computer; the address picker finds a commune typed without diacritics', async () => {
  const dataDir = tempDataDir();
  const env = { ...process.env, HOSO_DATA_DIR: dataDir };
  const card = JSON.parse(execFileSync(cli, ['cccd', photo]).toString());
  const d = JSON.parse(execFileSync(cli, ['--json', 'new', '--procedure', '1.001193'], { env }).toString());
  const app = await launchApp({ display: display.display, dataDir, env: { HOSO_BRIDGE_ADDRESS: '127.0.0.1' } });
  let phone;
  try {
    const b = app.browser;
    await openFirstDossier(b);
    await (await b.$('[data-testid=scan-card]')).click();
    await (await b.$('[data-testid=card-phone]')).click();
    const urlEl = await b.$('[data-testid=phone-url]');
    await urlEl.waitForDisplayed({ timeout: 15_000 });
    const url = await urlEl.getText();
    await screenshot(b, 'card-phone');

    phone = await openPhoneBrowser(display.display);
    const p = phone.browser;
    await p.url(url);
    await (await p.$('#gallery')).waitForExist({ timeout: 15_000 });
    await (await p.$('#gallery')).addValue(photo);
    const read = await b.$('[data-testid=card-read]');
    await read.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'the card sent from the phone was never read' });
    assert.equal(await read.getText(), `Đã đọc thẻ của ${card.full_name}, số ${card.id_number}.`);
    // The phone's window would cover the desktop's in the screenshots below.
    await phone.close();
    phone = null;
    // The phone dialog closed by itself: the bridge is stopped.
    assert.equal(await (await b.$('[data-testid=phone-dialog]')).isExisting(), false);
    await assert.rejects(fetch(url, { signal: AbortSignal.timeout(2000) }), 'the bridge no longer answers');
    await (await b.$('[data-testid=card-apply]')).click();
    await b.waitUntil(async () => !(await (await b.$('[data-testid=card-dialog]')).isExisting()), { timeout: 5000 });

    // The address picker: "lung cu" finds Xã Lũng Cú in Tuyên Quang (Hà Giang before 2025).
    await (await b.$('[data-testid=address-pick][data-key="applicant.address"]')).click();
    await (await b.$('[data-testid=address-picker]')).waitForDisplayed({ timeout: 10_000 });
    await (await b.$('[data-testid=address-query]')).setValue('lung cu');
    const hit = await b.$('[data-testid=address-hit]');
    await hit.waitForDisplayed({ timeout: 10_000 });
    assert.match(await hit.getText(), /Xã Lũng Cú · Tỉnh Tuyên Quang/);
    await (await hit.$('input')).click();
    await (await b.$('[data-testid=address-detail]')).setValue('Thôn Lũng Cú');
    await screenshot(b, 'address-picker');
    const bad = await axeViolations(b, 'address-picker');
    assert.deepEqual(bad, [], `axe: ${JSON.stringify(bad, null, 2)}`);
    await (await b.$('[data-testid=address-use]')).click();
    await b.waitUntil(
      async () => {
        const shown = JSON.parse(execFileSync(cli, ['--json', 'show', d.id], { env }).toString());
        return shown.values['applicant.address'] === 'Thôn Lũng Cú, Xã Lũng Cú, Tỉnh Tuyên Quang';
      },
      { timeout: 15_000, timeoutMsg: 'the picked address was never saved' },
    );
    const shown = JSON.parse(execFileSync(cli, ['--json', 'show', d.id], { env }).toString());
    assert.equal(shown.values['applicant.cccd'], card.id_number);
  } finally {
    await phone?.close();
    await app.close();
  }
});
