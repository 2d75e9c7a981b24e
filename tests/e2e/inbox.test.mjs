// End-to-end: a watched folder. The person adds a folder in Settings; a photo copied into it
// slowly (as a phone sync or a USB copy does) shows up in "Ảnh mới" once complete, and goes into
// a paper of the open dossier from there, where it is cleaned like any photo. The time from the
// file being complete to the count on screen is printed.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { axeViolations, launchApp, openFirstDossier, root, screenshot, startDisplay, tempDataDir } from './harness.mjs';

const cli = process.env.HOSO_CLI_BINARY ?? path.join(root, 'target', 'debug', 'hoso');
const photo = path.join(root, 'crates', 'hoso-scan', 'tests', 'fixtures', 'p003_normal.jpg');
const paper = 'giay_chung_sinh';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let display;

before(async () => {
  display = await startDisplay();
});

after(() => display?.stop());

async function clickText(b, selector, text) {
  const el = await b.$(`${selector}*=${text}`);
  await el.waitForDisplayed({ timeout: 15_000 });
  await el.click();
}

test('a photo copied into a watched folder reaches "Ảnh mới" and goes into a paper', async () => {
  const dataDir = tempDataDir();
  const folder = tempDataDir('hoso-zalo-');
  const env = { ...process.env, HOSO_DATA_DIR: dataDir };
  execFileSync(cli, ['--json', 'new', '--procedure', '1.001193', '--field', 'applicant.full_name=Lò Thị Mai'], { env });
  const app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    await (await b.$('[data-testid=open-dossier]')).waitForDisplayed({ timeout: 15_000 });

    // Settings: watch the folder by typing its path.
    await clickText(b, 'button', 'Cài đặt');
    const input = await b.$('[data-testid=folder-path]');
    await input.waitForDisplayed({ timeout: 15_000 });
    await input.setValue(folder);
    await (await b.$('[data-testid=folder-add]')).click();
    await b.waitUntil(async () => (await b.$$('[data-testid=watch-folder]')).length === 1, {
      timeout: 10_000,
      timeoutMsg: 'the folder was not added',
    });
    await b.execute(() => document.querySelector('[data-testid=watch-folders]')?.scrollIntoView());
    await screenshot(b, 'watch-folders');
    const bad = await axeViolations(b, 'watch-folders');
    assert.deepEqual(bad, [], `axe: ${JSON.stringify(bad, null, 2)}`);
    await clickText(b, 'button', 'Quay lại');
    await (await b.$('[data-testid=open-dossier]')).waitForDisplayed({ timeout: 15_000 });

    // A photo arrives slowly under a temporary name, then is renamed, as browsers do.
    const bytes = readFileSync(photo);
    const part = path.join(folder, 'zalo_0001.jpg.crdownload');
    const fd = openSync(part, 'w');
    const step = Math.ceil(bytes.length / 4);
    for (let i = 0; i < bytes.length; i += step) {
      writeSync(fd, bytes.subarray(i, i + step));
      await sleep(300);
    }
    closeSync(fd);
    assert.equal(await (await b.$('[data-testid=home-inbox]')).isExisting(), false, 'a partial file was taken');
    renameSync(part, path.join(folder, 'zalo_0001.jpg'));
    const complete = Date.now();
    await b.waitUntil(async () => /1 ảnh mới/.test(await b.execute(() => document.querySelector('[data-testid=home-inbox]')?.textContent ?? '')), {
      timeout: 20_000,
      interval: 25,
      timeoutMsg: 'the photo never reached "Ảnh mới"',
    });
    const latency = Date.now() - complete;
    console.log(`watched folder: file complete → "Ảnh mới" on screen: ${latency} ms`);

    // Into the dossier's paper.
    await openFirstDossier(b);
    const open = await b.$(`[data-component="${paper}"] [data-testid=from-inbox]`);
    await open.waitForDisplayed({ timeout: 15_000 });
    // Away from the toast at the bottom of the window.
    await open.scrollIntoView({ block: 'center' });
    await open.click();
    const item = await b.$('[data-testid=inbox-item] .name');
    await item.waitForDisplayed({ timeout: 10_000 });
    await b.waitUntil(
      async () => b.execute(() => (document.querySelector('[data-testid=inbox-item] img')?.naturalWidth ?? 0) > 0),
      { timeout: 10_000, timeoutMsg: 'no thumbnail in "Ảnh mới"' },
    );
    await item.click();
    assert.equal(await b.execute(() => document.querySelector('[data-testid=inbox-item] input')?.checked), true);
    await screenshot(b, 'inbox-dialog');
    const badInbox = await axeViolations(b, 'inbox-dialog');
    assert.deepEqual(badInbox, [], `axe: ${JSON.stringify(badInbox, null, 2)}`);
    await (await b.$('[data-testid=inbox-add]')).click();
    await b.waitUntil(
      async () =>
        b.execute((code) => document.querySelector(`[data-component="${code}"] [data-testid=page]`)?.dataset.state === 'done', paper),
      { timeout: 60_000, timeoutMsg: 'the photo from "Ảnh mới" was never made into a page' },
    );
    await b.waitUntil(async () => !(await (await b.$('[data-testid=inbox-dialog]')).isExisting()), {
      timeout: 5000,
      timeoutMsg: 'the emptied "Ảnh mới" did not close',
    });
    assert.equal(await (await b.$(`[data-component="${paper}"] [data-testid=from-inbox]`)).isExisting(), false);
  } finally {
    await app.close();
  }
});
