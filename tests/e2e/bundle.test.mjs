// End-to-end: a dossier travels by USB stick. Made and exported as a .hoso bundle on the
// citizen's computer (the CLI, its own data folder); opened on the commune official's HoSo in
// the real window: who made it is shown before anything is imported, it is taken in on the
// citizen's behalf once, and opening the same file again adds nothing.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { axeViolations, launchApp, root, screenshot, startDisplay, tempDataDir } from './harness.mjs';

const bin = path.join(root, 'target', 'debug', 'hoso');
let display;

before(async () => {
  display = await startDisplay();
});

after(() => display?.stop());

test('a bundle from another computer is shown, checked and imported once, on behalf', async () => {
  const citizen = tempDataDir();
  const official = tempDataDir();
  const cli = (data, ...args) =>
    JSON.parse(execFileSync(bin, ['--json', ...args], { env: { ...process.env, HOSO_DATA_DIR: data } }).toString());
  const d = cli(
    citizen, 'new', '--procedure', '2.000884',
    '--field', 'applicant.full_name=Lò Thị Mai', '--field', 'document.name=Giấy ủy quyền',
  );
  const page = path.join(citizen, 'trang-1.pdf');
  writeFileSync(page, '%PDF-1.7 giay uy quyen');
  cli(citizen, 'attach', d.id, 'van_ban', page);
  const bundle = path.join(citizen, 'ho-so-mai.hoso');
  cli(citizen, 'bundle', 'export', d.id, bundle);

  const app = await launchApp({ display: display.display, dataDir: official });
  try {
    const b = app.browser;
    const input = await b.$('[data-testid=bundle-file]');
    await input.waitForExist({ timeout: 15_000 });
    await input.addValue(bundle);
    const facts = await b.$('[data-testid=bundle-info]');
    await facts.waitForDisplayed({ timeout: 15_000 });
    const text = await facts.getText();
    assert.match(text, /Lò Thị Mai/);
    assert.match(text, /Chứng thực chữ ký/);
    assert.match(text, /Máy tính có HoSo/);
    assert.match(text, /[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}/);
    await (await b.$('[data-testid=bundle-behalf]')).click();
    await screenshot(b, 'bundle-dialog');
    const bad = await axeViolations(b, 'bundle-dialog');
    assert.deepEqual(bad, [], JSON.stringify(bad, null, 2));
    await (await b.$('[data-testid=bundle-import]')).click();

    // The dossier opens with the citizen's values and page.
    const name = await b.$('[data-key="applicant.full_name"]');
    await name.waitForDisplayed({ timeout: 15_000 });
    assert.equal(await name.getValue(), 'Lò Thị Mai');
    const shown = cli(official, 'show', d.id);
    assert.equal(shown.values['behalf.of'], 'Lò Thị Mai (gói từ Máy tính có HoSo)');
    assert.equal(shown.components.find((c) => c.code === 'van_ban').pages.length, 1);

    // The same file again: recognised, nothing added.
    await (await b.$('button.back')).click();
    const again = await b.$('[data-testid=bundle-file]');
    await again.waitForExist({ timeout: 15_000 });
    await again.addValue(bundle);
    const same = await b.$('[data-testid=bundle-dialog]');
    await same.waitForDisplayed({ timeout: 15_000 });
    await b.waitUntil(async () => /đã được mở trên máy trước đây/.test(await same.getText()), { timeout: 10_000 });
    assert.equal(cli(official, 'list').items.length, 1, 'never a second dossier');
  } finally {
    await app.close();
  }
});
