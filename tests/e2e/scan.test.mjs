// End-to-end: a phone photo goes into a dossier, is cropped and cleaned by itself, the person
// moves a corner in the crop view, takes the crop back, and saves the paper as a PDF. The
// real window, the real scan pipeline, a photo from the project's fixtures.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { axeViolations, launchApp, openFirstDossier, root, screenshot, startDisplay, tempDataDir } from './harness.mjs';

const cli = process.env.HOSO_CLI_BINARY ?? path.join(root, 'target', 'debug', 'hoso');
const photo = path.join(root, 'crates', 'hoso-scan', 'tests', 'fixtures', 'p003_normal.jpg');
let display;

before(async () => {
  display = await startDisplay();
});

after(() => display?.stop());

async function noAxeViolations(b, name) {
  const bad = await axeViolations(b, name);
  assert.deepEqual(bad, [], `axe found serious/critical problems on ${name}: ${JSON.stringify(bad, null, 2)}`);
}

async function pageState(b) {
  return b.execute(() => {
    const li = document.querySelector('[data-testid=page]');
    return li ? { state: li.dataset.state, detected: li.dataset.detected, kind: li.dataset.kind } : null;
  });
}

async function corner(b, i) {
  return b.execute((n) => {
    const c = document.querySelector(`circle[data-corner="${n}"]`);
    return c ? [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))] : null;
  }, i);
}

test('import a photo → auto-crop → move a corner → undo the crop → save the PDF', async () => {
  const dataDir = tempDataDir();
  const env = { ...process.env, HOSO_DATA_DIR: dataDir };
  const d = JSON.parse(
    execFileSync(cli, ['--json', 'new', '--procedure', '1.001193', '--field', 'applicant.full_name=Lò Thị Mai'], { env }).toString(),
  );
  const app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    await openFirstDossier(b);

    // Import through the paper's picker: the page is found, straightened and cleaned.
    await (await b.$('input[type=file][data-component="giay_chung_sinh"]')).addValue(photo);
    await b.waitUntil(async () => (await pageState(b))?.state === 'done', {
      timeout: 60_000,
      timeoutMsg: 'the photo was never made into a page',
    });
    assert.deepEqual(await pageState(b), { state: 'done', detected: 'true', kind: 'a4' });
    const size = await (await b.$('[data-testid=page-size]')).getText();
    const kb = Number(size.match(/^(\d+) KB/)?.[1]);
    assert.ok(kb > 0 && kb < 200, `page size line: ${size}`);
    assert.match(size, /2G: .+ · 3G: /);
    assert.match(await (await b.$('[data-testid=dossier-size]')).getText(), /Cả hồ sơ khoảng \d+ KB/);
    await b.waitUntil(
      async () => b.execute(() => (document.querySelector('[data-testid=page] img')?.naturalWidth ?? 0) > 0),
      { timeout: 10_000, timeoutMsg: 'the thumbnail never showed' },
    );
    await b.execute(() => document.querySelector('[data-testid=papers]')?.scrollIntoView());
    await screenshot(b, 'scan-page');
    await noAxeViolations(b, 'scan-page');

    // The crop view: the detected corners over the photo; drag the top-left one.
    await (await b.$('[data-testid=crop]')).click();
    await (await b.$('[data-testid=crop-stage] img')).waitForDisplayed({ timeout: 15_000 });
    const before = await corner(b, 0);
    const handle = await b.$('circle[data-corner="0"]');
    await b
      .action('pointer', { parameters: { pointerType: 'mouse' } })
      .move({ origin: handle })
      .down()
      .move({ origin: 'pointer', x: 25, y: 20, duration: 100 })
      .move({ origin: 'pointer', x: 25, y: 20, duration: 100 })
      .up()
      .perform();
    const dragged = await corner(b, 0);
    assert.ok(dragged[0] > before[0] + 20 && dragged[1] > before[1] + 20, `corner ${before} → ${dragged}`);
    // And one step more with the keyboard, then undo that step.
    await handle.click();
    await b.keys('ArrowRight');
    const nudged = await corner(b, 0);
    assert.ok(nudged[0] > dragged[0], `arrow key did not move the corner: ${dragged} → ${nudged}`);
    await (await b.$('[data-testid=crop-undo]')).click();
    assert.deepEqual(await corner(b, 0), dragged);
    await screenshot(b, 'scan-crop');
    await noAxeViolations(b, 'scan-crop');
    await (await b.$('[data-testid=crop-apply]')).click();
    await b.waitUntil(async () => (await b.$$('dialog[open]')).length === 0, { timeout: 60_000, timeoutMsg: 'the crop view never closed' });
    await b.waitUntil(async () => (await pageState(b))?.detected === 'false', { timeout: 30_000, timeoutMsg: 'the page was not remade from the moved corners' });

    // Undo the crop: the whole photo, at any time.
    await (await b.$('[data-testid=crop]')).click();
    await (await b.$('[data-testid=crop-whole]')).waitForClickable({ timeout: 15_000 });
    await (await b.$('[data-testid=crop-whole]')).click();
    const whole = await b.execute(() => {
      const svg = document.querySelector('[data-testid=crop-stage] svg');
      return svg?.getAttribute('viewBox');
    });
    const [, , w, h] = whole.split(' ').map(Number);
    assert.deepEqual([await corner(b, 0), await corner(b, 2)], [[0, 0], [w, h]]);
    await (await b.$('[data-testid=crop-apply]')).click();
    await b.waitUntil(async () => (await b.$$('dialog[open]')).length === 0, { timeout: 60_000, timeoutMsg: 'the crop view never closed' });

    // And found again automatically.
    await (await b.$('[data-testid=crop]')).click();
    await (await b.$('[data-testid=crop-auto]')).waitForClickable({ timeout: 15_000 });
    await (await b.$('[data-testid=crop-auto]')).click();
    await b.waitUntil(async () => (await pageState(b))?.detected === 'true', { timeout: 60_000, timeoutMsg: 'automatic corners never came back' });
    await b.waitUntil(async () => (await corner(b, 0))?.[0] > 0, { timeout: 10_000, timeoutMsg: 'the crop view kept the whole photo' });
    await (await b.$('[data-testid=crop-apply]')).click();
    await b.waitUntil(async () => (await b.$$('dialog[open]')).length === 0, { timeout: 60_000, timeoutMsg: 'the crop view never closed' });

    // The paper as one PDF.
    await (await b.$('[data-testid=save-pdf]')).click();
    const toast = await b.$('.toast');
    await toast.waitForDisplayed({ timeout: 10_000 });
    const saved = (await toast.getText()).match(/(\/\S+\.pdf)/)?.[1];
    assert.ok(saved, `no path in: ${await toast.getText()}`);
    const pdf = readFileSync(saved);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = pdf.toString('latin1');
    assert.equal((text.match(/\/Subtype\s*\/Image/g) ?? []).length, 1, 'one page image');
    assert.match(text, /\/MediaBox\s*\[0 0 595\.\d+ 842\.\d+\]/, 'an A4 page');
    await screenshot(b, 'scan-saved');
  } finally {
    await app.close();
  }
  const shown = JSON.parse(execFileSync(cli, ['--json', 'show', d.id], { env }).toString());
  const pages = shown.components.find((c) => c.code === 'giay_chung_sinh').pages;
  assert.equal(pages.length, 1);
  assert.equal(pages[0].scanState, 'done');
  assert.equal(pages[0].byteSize, readFileSync(photo).length, 'the original photo is kept as it is');
});
