// End-to-end: "Quét CCCD". A photo of a (made-up) citizen ID card fills the applicant block in
// the real window: empty fields are ticked and filled; the name typed before is shown next to
// the card's and kept, because it was not ticked. What the window fills is what `hoso cccd`
// reads from the same photo.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { axeViolations, launchApp, openFirstDossier, root, screenshot, startDisplay, tempDataDir } from './harness.mjs';

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
    assert.equal(shown.values['applicant.address'], card.address);
    await screenshot(b, 'card-filled');
  } finally {
    await app.close();
  }
});
