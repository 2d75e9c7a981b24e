// End-to-end: a commune official digitises a folder of scans in the real window. The pages are
// cleaned and read in Vietnamese (Tesseract) in the background; a name typed without
// diacritics finds the page, marked; the page opens to be read, and the record's details typed
// there find it too.

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { axeViolations, launchApp, root, screenshot, startDisplay, tempDataDir } from './harness.mjs';

let display;

before(async () => {
  display = await startDisplay();
});

after(() => display?.stop());

const fixtures = path.join(root, 'crates', 'hoso-scan', 'tests', 'fixtures');

test('a folder of scans is digitised, read, found without diacritics and described', async () => {
  const dataDir = tempDataDir();
  const scans = path.join(dataDir, 'may-quet');
  mkdirSync(scans);
  copyFileSync(path.join(fixtures, 'p003_normal.jpg'), path.join(scans, 'scan-001.jpg'));
  copyFileSync(path.join(fixtures, 'p021_normal.jpg'), path.join(scans, 'scan-002.jpg'));

  const app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    await b.setWindowRect(0, 0, 1366, 768);
    const open = await b.$('[data-testid=open-archive]');
    await open.waitForDisplayed({ timeout: 15_000 });
    await open.click();

    await (await b.$('[data-testid=archive-folder]')).setValue(scans);
    await (await b.$('[data-testid=archive-grouping]')).selectByAttribute('value', 'one');
    await (await b.$('[data-testid=archive-start]')).click();
    const summary = await b.$('[data-testid=archive-summary]');
    await summary.waitForDisplayed({ timeout: 60_000, timeoutMsg: 'the folder was not taken in' });
    assert.match(await summary.getText(), /Đã số hóa 2 trang thành 1 hồ sơ/);
    await (await b.$('[data-testid=archive-read-done]')).waitForDisplayed({
      timeout: 90_000,
      timeoutMsg: 'the pages were not read',
    });

    await (await b.$('[data-testid=archive-search]')).setValue('hoang thi my huyen');
    const hit = await b.$('[data-testid=archive-hit]');
    await hit.waitForDisplayed({ timeout: 10_000 });
    assert.equal(await (await hit.$('mark')).getText(), 'Hoàng');
    assert.equal((await b.$$('[data-testid=archive-hit]')).length, 1);
    await screenshot(b, 'archive-search');
    const serious = await axeViolations(b, 'archive-search');
    assert.deepEqual(serious, [], JSON.stringify(serious, null, 2));

    await hit.click();
    const image = await b.$('[data-testid=archive-page-image]');
    await image.waitForDisplayed({ timeout: 15_000 });
    await b.waitUntil(async () => (await b.execute((el) => el.complete && el.naturalWidth, image)) > 500, {
      timeout: 10_000,
      timeoutMsg: 'the page image did not load',
    });
    assert.match(await (await b.$('[data-testid=archive-text]')).getValue(), /Hoàng Thị Mỹ Huyền/);
    await (await b.$('[data-testid=archive-kind]')).setValue('Giấy chứng nhận bồi dưỡng');
    await (await b.$('[data-testid=archive-people]')).setValue('Nguyễn Văn Đức');
    await (await b.$('[data-testid=archive-save]')).click();
    await b.waitUntil(async () => (await b.$('h2#page-title').getText()).includes('Nguyễn Văn Đức'), {
      timeout: 10_000,
      timeoutMsg: 'the details were not saved',
    });
    await screenshot(b, 'archive-page');
    const dialogSerious = await axeViolations(b, 'archive-page');
    assert.deepEqual(dialogSerious, [], JSON.stringify(dialogSerious, null, 2));
    await b.keys('Escape');

    const search = await b.$('[data-testid=archive-search]');
    await search.setValue('nguyen van duc');
    await b.waitUntil(async () => (await b.$$('[data-testid=archive-hit]')).length === 2, {
      timeout: 10_000,
      timeoutMsg: 'the details did not find both pages of the record',
    });

    // The two pages were two papers: split the record at page 2, then undo.
    const second = (await b.$$('[data-testid=archive-hit]'))[1];
    await second.click();
    const split = await b.$('[data-testid=archive-split]');
    await split.waitForDisplayed({ timeout: 10_000 });
    await split.click();
    const undo = await b.$('button=Hoàn tác');
    await undo.waitForDisplayed({ timeout: 10_000 });
    await (await b.$('[data-testid=archive-page]').$('button=Đóng')).click();
    const records = async () => {
      await (await b.$('[data-testid=archive-search]')).clearValue();
      await b.execute(() => document.querySelector('[data-testid=archive-search]')?.dispatchEvent(new Event('input', { bubbles: true })));
      const list = await b.$('[data-testid=archive-records]');
      await list.waitForDisplayed({ timeout: 10_000 });
      return (await list.$$('li')).length;
    };
    assert.equal(await records(), 2, 'split into two records');
    await undo.click();
    await b.waitUntil(async () => (await records()) === 1, { timeout: 10_000, timeoutMsg: 'the split was not undone' });
  } finally {
    await app.close();
  }
});
