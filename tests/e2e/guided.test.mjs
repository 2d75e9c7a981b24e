// End-to-end: a first-time user makes a birth-registration dossier step by step in the real
// window and queues it for sending — the applicant read from an ID card photographed with the
// phone, the birth certificate photographed with the phone, the form chosen from a file. Every
// user action is counted (a click, a file chosen, a value typed into one field, the phone
// scanning the QR code, a photo sent from the phone) and followed by a screenshot kept in
// target/e2e/guided-NN-*.png; each step's screen is checked with axe and for sideways
// scrolling. The count and the wall time go to target/e2e/guided-actions.json. The issue's
// target is 12 actions; the count is reported, not yet held to it (see the closing note).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  assertNoAxeViolations,
  assertNoHorizontalScroll,
  field,
  launchApp,
  openPhoneBrowser,
  root,
  screenshot,
  startDisplay,
  tempDataDir,
  waitForHeading,
} from './harness.mjs';

const cli = process.env.HOSO_CLI_BINARY ?? path.join(root, 'target', 'debug', 'hoso');
const cardPhoto = path.join(root, 'crates', 'hoso-cccd', 'tests', 'fixtures', 'cccd-front.jpg');
const formPhoto = path.join(root, 'crates', 'hoso-scan', 'tests', 'fixtures', 'p003_normal.jpg');
const certificatePhoto = path.join(root, 'crates', 'hoso-scan', 'tests', 'fixtures', 'p021_normal.jpg');
// The measure: at most this many user actions from the home screen to "queued".
const TARGET_ACTIONS = 12;
let display;

before(async () => {
  display = await startDisplay();
});

after(() => display?.stop());

test('a first-time user makes a birth registration step by step and queues it for sending', async () => {
  const dataDir = tempDataDir();
  const env = { ...process.env, HOSO_DATA_DIR: dataDir };
  const app = await launchApp({ display: display.display, dataDir, env: { HOSO_BRIDGE_ADDRESS: '127.0.0.1' } });
  const actions = [];
  let phone;
  const started = Date.now();
  try {
    const b = app.browser;
    /** One user action, then a screenshot of what it led to. */
    const act = async (name, run) => {
      await run();
      actions.push(name);
      await screenshot(b, `guided-${String(actions.length).padStart(2, '0')}-${name}`);
    };
    const stepIs = async (key) => {
      await b.waitUntil(async () => (await (await b.$('[data-testid=guide-step]')).getAttribute('data-step')) === key, {
        timeout: 15_000,
        timeoutMsg: `the step never became ${key}`,
      });
      await assertNoHorizontalScroll(b, key);
      await assertNoAxeViolations(b, `guided ${key}`);
    };
    const next = () =>
      act('next', async () => {
        const button = await b.$('[data-testid=guide-next]');
        await button.scrollIntoView({ block: 'center' });
        await button.click();
      });
    /**
     * The phone opens the bridge's page (scanning the QR code: one action) and sends a photo
     * (one more); its window is closed after, so the screenshots show the computer's.
     */
    const phoneSends = async (url, photo, name, sent) => {
      phone = await openPhoneBrowser(display.display);
      const p = phone.browser;
      actions.push('phone-scan-qr');
      await p.url(url);
      await (await p.$('#gallery')).waitForExist({ timeout: 15_000 });
      actions.push(`phone-${name}`);
      await (await p.$('#gallery')).addValue(photo);
      await sent();
      await phone.close();
      phone = null;
      await screenshot(b, `guided-${String(actions.length).padStart(2, '0')}-phone-${name}`);
    };

    await waitForHeading(b, 'Hồ sơ của bạn');
    await act('new', async () => (await b.$('button*=Tạo hồ sơ mới')).click());
    await act('procedure', async () => (await b.$('[data-testid=procedure][data-code="1.001193"]')).click());
    await waitForHeading(b, 'Đăng ký khai sinh');

    // 1. Who is applying: the ID card, photographed with the phone, fills the block.
    await stepIs('who:Người nộp hồ sơ');
    await act('scan-card', async () => (await b.$('[data-testid=scan-card]')).click());
    await act('card-by-phone', async () => (await b.$('[data-testid=card-phone]')).click());
    const urlEl = await b.$('[data-testid=phone-url]');
    await urlEl.waitForDisplayed({ timeout: 15_000 });
    await phoneSends(await urlEl.getText(), cardPhoto, 'card', () =>
      b.$('[data-testid=card-read]').then((e) => e.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'the card was never read' })),
    );
    await act('card-apply', async () => (await b.$('[data-testid=card-apply]')).click());
    await act('type-phone', async () => (await field(b, 'applicant.phone')).setValue('0912345678'));
    await next();

    // 2. What is needed.
    await stepIs('need');
    await next();

    // 3. Each paper: the form from a file, the birth certificate with the phone, no proxy letter.
    await stepIs('paper:to_khai');
    await act('form-file', async () => (await b.$('input[type=file][data-component="to_khai"]')).addValue(formPhoto));
    await b.waitUntil(async () => (await b.$$('[data-testid=page][data-state=done]')).length === 1, {
      timeout: 60_000,
      timeoutMsg: 'the form photo was never made into a page',
    });
    await next();
    await stepIs('paper:giay_chung_sinh');
    await act('certificate-by-phone', async () => (await b.$('[data-testid=from-phone]')).click());
    const paperUrl = await b.$('[data-testid=phone-url]');
    await paperUrl.waitForDisplayed({ timeout: 15_000 });
    await phoneSends(await paperUrl.getText(), certificatePhoto, 'certificate', () =>
      b.waitUntil(async () => (await (await b.$('[data-testid=phone-received]')).getText()).startsWith('Đã nhận 1 ảnh'), {
        timeout: 30_000,
        timeoutMsg: 'the certificate photo never reached the computer',
      }),
    );
    await act('phone-done', async () => (await b.$('[data-testid=phone-done]')).click());
    await b.waitUntil(async () => (await b.$$('[data-testid=page][data-state=done]')).length === 1, {
      timeout: 60_000,
      timeoutMsg: 'the certificate photo from the phone was never made into a page',
    });
    await next();
    await stepIs('paper:uy_quyen');
    await next();

    // 4. The child's details.
    await stepIs('details:Người được khai sinh');
    const typed = {
      'child.full_name': 'Lò Văn Páo',
      'child.dob': '01112026',
      'child.birth_place': 'Trạm y tế xã Lũng Cú',
      'child.ethnicity': 'Lô Lô',
      'child.mother_name': 'Lò Thị Mai',
    };
    for (const [key, value] of Object.entries(typed)) {
      await act(`type-${key}`, async () => (await field(b, key)).setValue(value));
    }
    await act('child-sex', async () => (await b.$('input[type=radio][name="f-child.sex"][value="Nam"]')).click());
    await act('relationship', async () => (await b.$('select[id="f-applicant.relationship"]')).selectByVisibleText('Cha'));
    await next();

    // 5. Check, 6. send.
    await stepIs('check');
    await next();
    await stepIs('send');
    await act('send', async () => (await b.$('[data-testid=guided-send]')).click());
    await (await b.$('[data-testid=guided-done]')).waitForDisplayed({ timeout: 15_000 });

    const list = JSON.parse(execFileSync(cli, ['--json', 'list'], { env }).toString()).items;
    assert.equal(list.length, 1);
    const shown = JSON.parse(execFileSync(cli, ['--json', 'show', list[0].id], { env }).toString());
    assert.equal(shown.state, 'queued', 'the dossier is queued for sending');
    assert.equal(shown.values['applicant.phone'], '0912345678');
    assert.equal(shown.values['child.full_name'], 'Lò Văn Páo');
    assert.ok(shown.values['applicant.cccd'], 'the card filled the ID number');
    const pages = Object.fromEntries(shown.components.map((c) => [c.code, c.pages.length]));
    assert.deepEqual(pages, { to_khai: 1, giay_chung_sinh: 1, uy_quyen: 0 });
  } finally {
    phone?.close();
    await app.close();
  }
  const seconds = (Date.now() - started) / 1000;
  const out = path.join(root, 'target', 'e2e');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'guided-actions.json'),
    JSON.stringify({ actions: actions.length, target: TARGET_ACTIONS, seconds, list: actions }, null, 1),
  );
  console.log(`guided flow: ${actions.length} user actions (target ${TARGET_ACTIONS}), ${seconds.toFixed(1)} s`);
});
