// End-to-end: the real HoSo window under Xvfb, driven through tauri-driver + WebKitWebDriver.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  assertNoAxeViolations,
  assertNoHorizontalScroll,
  field,
  launchApp,
  root,
  screenshot,
  startDisplay,
  tabTo as tabToIn,
  tempDataDir,
  typeIntoFocused,
  waitForHeading,
  waitSaved,
} from './harness.mjs';

const cli = process.env.HOSO_CLI_BINARY ?? path.join(root, 'target', 'debug', 'hoso');
let display;

before(async () => {
  display = await startDisplay();
});

after(() => display?.stop());


test('a new dossier typed in the window is there, exactly as left, after the app restarts', async () => {
  const dataDir = tempDataDir();
  // Names that must be stored and shown as text: markup, emoji, 500 characters, NFD input.
  const hostile = ['<script>alert(1)</script>', 'Hoa 🌸 Mai', 'Ă'.repeat(500), 'Nguye\u0302\u0303n Thi\u0323 Lan'];
  for (const name of hostile) {
    execFileSync(cli, ['new', '--procedure', '2.000884', '--field', `applicant.full_name=${name}`], {
      env: { ...process.env, HOSO_DATA_DIR: dataDir },
    });
  }

  let app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    await b.setWindowRect(0, 0, 1366, 768);
    await waitForHeading(b, 'Hồ sơ của bạn');
    await assertNoHorizontalScroll(b, 'home at 1366×768');
    const listText = await (await b.$('[data-testid=dossier-list]')).getText();
    assert.ok(listText.includes('<script>alert(1)</script>'), 'markup is shown as text');
    assert.ok(listText.includes('Hoa 🌸 Mai'));
    assert.ok(listText.includes('Nguyễn Thị Lan'), 'NFD input is shown composed');
    assert.equal(await b.execute(() => document.querySelectorAll('main script').length), 0);
    await assertNoAxeViolations(b, 'home');

    await (await b.$('button*=Tạo hồ sơ mới')).click();
    await waitForHeading(b, 'Chọn thủ tục');
    await (await b.$('[data-testid=procedure-search]')).setValue('khai sinh');
    await b.waitUntil(async () => (await b.$$('[data-testid=procedure]')).length === 1, {
      timeout: 5000,
      timeoutMsg: 'search without diacritics did not narrow the list to one procedure',
    });
    await assertNoAxeViolations(b, 'picker');
    await (await b.$('[data-testid=procedure][data-code="1.001193"]')).click();
    await waitForHeading(b, 'Đăng ký khai sinh');
    // A new dossier opens step by step; this one is filled on one page, as an official would.
    await (await b.$('[data-testid=to-expert]')).click();
    await (await b.$('[data-testid=papers]')).waitForDisplayed({ timeout: 15_000 });
    await assertNoHorizontalScroll(b, 'editor at 1366×768');

    await (await field(b, 'applicant.full_name')).setValue('Nguyễn Thị Hoa');
    await (await field(b, 'applicant.phone')).setValue('0212345678');
    const phoneIssue = await b.$('p*=Số di động phải bắt đầu bằng');
    await phoneIssue.waitForDisplayed({ timeout: 5000 });
    await (await field(b, 'applicant.phone')).clearValue();
    await (await field(b, 'applicant.phone')).setValue('0912345678');
    await phoneIssue.waitForDisplayed({ reverse: true, timeout: 5000 });
    await (await field(b, 'applicant.cccd')).setValue('001190012345');
    await (await field(b, 'applicant.dob')).setValue('05091990');
    await (await b.$('input[type=radio][name="f-applicant.sex"][value="Nữ"]')).click();
    await (await field(b, 'child.full_name')).setValue('Lò Văn Páo');
    await waitSaved(b);
    assert.equal(await (await field(b, 'applicant.dob')).getValue(), '05/09/1990');
    const checklist = await (await b.$('[data-testid=checklist]')).getText();
    assert.ok(checklist.includes('Giấy chứng sinh'), checklist);
    // A photo of the birth certificate, through the file picker's input.
    const photo = path.join(dataDir, 'giay-chung-sinh.jpg');
    writeFileSync(photo, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(20_000, 7)]));
    await (await b.$('input[type=file][data-component="giay_chung_sinh"]')).addValue(photo);
    // It is not a readable photo: the page stays, named, with the reason and what to do.
    await b.waitUntil(
      async () => (await (await b.$('[data-testid=papers]')).getText()).includes('giay-chung-sinh.jpg'),
      { timeout: 10_000, timeoutMsg: 'the attached photo never appeared under its paper' },
    );
    await b.waitUntil(async () => (await b.$$('[data-testid=page][data-state=failed]')).length === 1, {
      timeout: 15_000,
      timeoutMsg: 'the unreadable photo was not marked',
    });
    assert.match(await (await b.$('[data-testid=checklist]')).getText(), /Đã có 1 trang/);
    await assertNoAxeViolations(b, 'editor');
    await b.execute(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
    const shot = await screenshot(b, 'editor');
    if (process.env.HOSO_UPDATE_SCREENSHOT) copyFileSync(shot, path.join(root, 'docs', 'screenshot.png'));

    await (await b.$('button*=Danh sách hồ sơ')).click();
    await waitForHeading(b, 'Hồ sơ của bạn');
    await screenshot(b, 'home');
  } finally {
    await app.close();
  }

  app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    await waitForHeading(b, 'Hồ sơ của bạn');
    await (await b.$('[data-testid=dossier-search]')).setValue('nguyen thi hoa');
    await b.waitUntil(async () => (await b.$$('[data-testid=open-dossier]')).length === 1, {
      timeout: 5000,
      timeoutMsg: 'the dossier was not found by a search without diacritics after restart',
    });
    const item = await b.$('[data-testid=open-dossier]');
    assert.ok((await item.getText()).includes('Nguyễn Thị Hoa'));
    await item.click();
    await waitForHeading(b, 'Đăng ký khai sinh');
    assert.equal(await (await field(b, 'applicant.full_name')).getValue(), 'Nguyễn Thị Hoa');
    assert.equal(await (await field(b, 'applicant.phone')).getValue(), '0912345678');
    assert.equal(await (await field(b, 'applicant.cccd')).getValue(), '001190012345');
    assert.equal(await (await field(b, 'child.full_name')).getValue(), 'Lò Văn Páo');
    assert.equal(await (await b.$('input[type=radio][value="Nữ"]')).isSelected(), true);
  } finally {
    await app.close();
  }
  const shown = JSON.parse(execFileSync(cli, ['list', '--json', '--query', 'hoa'], { env: { ...process.env, HOSO_DATA_DIR: dataDir } }));
  assert.ok(shown.items.some((d) => d.title === 'Nguyễn Thị Hoa'));
});

test('the whole flow works by keyboard alone and fits a 200 % zoomed 1366×768 screen', async () => {
  const dataDir = tempDataDir();
  const app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    // 1366×768 at 200 % zoom leaves a 683×384 CSS-pixel viewport.
    await b.setWindowRect(0, 0, 683, 384);
    await waitForHeading(b, 'Hồ sơ của bạn');
    await assertNoHorizontalScroll(b, 'home');

    const tabTo = (predicate, what) => tabToIn(b, predicate, what, 25);
    await tabTo(() => document.activeElement?.textContent?.includes('Tạo hồ sơ mới'), '“Tạo hồ sơ mới”');
    await b.keys('Enter');
    await waitForHeading(b, 'Chọn thủ tục');
    await assertNoHorizontalScroll(b, 'picker');
    await tabTo(() => document.activeElement?.getAttribute('data-testid') === 'procedure-search', 'the search box');
    // WebKitWebDriver drops spaces from fast key actions, so text goes to the focused element.
    await typeIntoFocused(b, 'ket hon');
    await b.waitUntil(async () => (await b.$$('[data-testid=procedure]')).length === 1, { timeout: 5000 });
    await tabTo(() => document.activeElement?.getAttribute('data-code') === '1.000894', 'the procedure');
    await b.keys('Enter');
    await waitForHeading(b, 'Đăng ký kết hôn');
    await assertNoHorizontalScroll(b, 'editor');
    await tabTo(() => document.activeElement?.getAttribute('data-key') === 'applicant.full_name', 'the first field');
    await typeIntoFocused(b, 'Trần Văn Bình');
    await waitSaved(b);
    assert.equal(await (await field(b, 'applicant.full_name')).getValue(), 'Trần Văn Bình');
    await screenshot(b, 'editor-zoomed');
    await assertNoAxeViolations(b, 'editor-zoomed');
  } finally {
    await app.close();
  }
});

test('a damaged database gets a Vietnamese screen naming the file, and is left untouched', async () => {
  const dataDir = tempDataDir();
  const db = path.join(dataDir, 'hoso.sqlite3');
  const junk = Buffer.from('đây không phải cơ sở dữ liệu '.repeat(200));
  writeFileSync(db, junk);
  const app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    const screen = await b.$('[data-testid=startup-error]');
    await screen.waitForDisplayed({ timeout: 15_000 });
    assert.equal(await screen.getAttribute('data-code'), 'store_corrupt');
    const text = await screen.getText();
    assert.ok(text.includes('HoSo chưa mở được dữ liệu của bạn'), text);
    assert.ok(text.includes(db), `the screen names ${db}`);
    assert.ok(text.includes('Thử lại'));
    await assertNoAxeViolations(b, 'startup-error');
    await screenshot(b, 'startup-error');
  } finally {
    await app.close();
  }
  assert.deepEqual(readFileSync(db), junk, 'the damaged file was changed');
});
