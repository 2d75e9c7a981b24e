// End-to-end: the window as an office PC's user meets it.
// - Its size and place come back the next time HoSo starts, and they are on disk a moment
//   after the change, so a power cut does not lose them.
// - It opens whole on a 1366×768 screen, the office PC's, even when it was last used larger.
// - HoSo runs once per data folder: a second launch (the desktop icon clicked again, or
//   `hoso-desktop --open ID`) hands over to the running window, which opens the dossier it
//   asked for, and exits. A launch on another data folder is a HoSo of its own.
// - It draws in software: its own process loads no GL driver (Mesa maps LLVM, ~43 MB).
// - "Xuất thông tin hỗ trợ" saves one file for whoever supports the office: versions, the web
//   engine and how it draws, and nothing about anyone.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { appBinary, bin, launchApp, screenshot, startDisplay, tempDataDir } from './harness.mjs';

let display;

before(async () => {
  display = await startDisplay();
});

after(() => display?.stop());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 200 ms until it returns a value, for at most `ms`. */
async function until(check, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(200);
  }
}

function savedState(dataDir) {
  const file = path.join(dataDir, 'window-state.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')).main ?? null;
  } catch {
    return null; // Being written.
  }
}

test('the window comes back with the size and place it was given', async () => {
  const dataDir = tempDataDir();
  let app = await launchApp({ display: display.display, dataDir });
  let rect;
  try {
    const b = app.browser;
    await (await b.$('h1')).waitForDisplayed({ timeout: 15_000 });
    await b.setWindowRect(40, 30, 1024, 700);
    rect = await b.getWindowRect();
    assert.deepEqual([rect.width, rect.height], [1024, 700]);
    // On disk while HoSo still runs: nothing waits for a clean exit.
    const saved = await until(
      () => {
        const s = savedState(dataDir);
        return s && s.width === 1024 && s.height === 700 ? s : null;
      },
      10_000,
      'the window size reaching window-state.json',
    );
    assert.deepEqual([saved.x, saved.y], [rect.x, rect.y]);
  } finally {
    await app.close();
  }

  app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    await (await b.$('h1')).waitForDisplayed({ timeout: 15_000 });
    const again = await b.getWindowRect();
    assert.deepEqual(again, rect);
    await screenshot(b, 'window-remembered');
  } finally {
    await app.close();
  }
});

/** Whether all of `rect` is on the test's 1366×768 screen. */
const onScreen = ({ x, y, width, height }) => x >= 0 && y >= 0 && x + width <= 1366 && y + height <= 768;

/** The window's rectangle once it is on the screen, or as it is after 5 s. */
async function settledRect(b) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rect = await b.getWindowRect();
    if (Date.now() > deadline || onScreen(rect)) return rect;
    await sleep(100);
  }
}

/** Asserts that all of `rect` is on the test's 1366×768 screen. */
function assertOnScreen(rect, when) {
  assert.ok(onScreen(rect), `${when}: ${JSON.stringify(rect)}`);
}

test('the window opens whole on a 1366×768 screen, even when last used on a bigger screen', async () => {
  const dataDir = tempDataDir();
  let app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    await (await b.$('h1')).waitForDisplayed({ timeout: 15_000 });
    // HoSo fits the window at its first paint; the window system applies the new size a moment
    // later.
    const first = await settledRect(b);
    assertOnScreen(first, 'the first window');
    // Only as small as it must be: the 1280-pixel width fits, so it stays.
    assert.equal(first.width, 1280);
    assert.equal(first.height, 768);
    await screenshot(b, 'window-first-fits');
  } finally {
    await app.close();
  }
  // Last used on a 1920×1080 screen: the state HoSo saved there (restored as is, it would be
  // (10, 20, 1900, 1040); HoSo's default window would be (43, 0, 1280, 768)).
  const big = { width: 1900, height: 1040, x: 10, y: 20, prev_x: 10, prev_y: 20 };
  const state = { ...big, maximized: false, visible: true, decorated: true, fullscreen: false };
  writeFileSync(path.join(dataDir, 'window-state.json'), JSON.stringify({ main: state }));

  app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    await (await b.$('h1')).waitForDisplayed({ timeout: 15_000 });
    const again = await settledRect(b);
    assertOnScreen(again, 'the window after a bigger screen');
    assert.deepEqual(again, { x: 0, y: 0, width: 1366, height: 768 });
  } finally {
    await app.close();
  }
});

/** A D-Bus session bus of the test's own, as every desktop session has (stopped by `stop`). */
async function sessionBus() {
  const daemon = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  daemon.stdout.on('data', (d) => (out += d));
  const address = await until(() => out.split('\n')[0].trim(), 10_000, 'the session bus address');
  return { address, stop: () => daemon.kill('SIGTERM') };
}

/** Runs the app binary itself (not through WebDriver); resolves with its exit code, or null if
 * it is still running after `ms` (then it is killed). */
async function secondLaunch(args, env, ms) {
  const child = spawn(appBinary, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  const exited = once(child, 'exit').then(([code]) => code);
  const code = await Promise.race([exited, sleep(ms).then(() => null)]);
  if (code === null) {
    child.kill('SIGKILL');
    await exited;
  }
  return code;
}

test('a second launch hands over to the running window, which opens the dossier it names', async () => {
  const bus = await sessionBus();
  const dataDir = tempDataDir();
  const env = { DBUS_SESSION_BUS_ADDRESS: bus.address, NO_AT_BRIDGE: '1' };
  const cli = (...args) =>
    JSON.parse(execFileSync(bin('hoso'), ['--json', ...args], { env: { ...process.env, HOSO_DATA_DIR: dataDir } }).toString());
  const d = cli('new', '--procedure', '1.001193', '--field', 'applicant.full_name=Lò Văn Páo');

  const app = await launchApp({ display: display.display, dataDir, env });
  try {
    const b = app.browser;
    await (await b.$('h1')).waitForDisplayed({ timeout: 15_000 });
    assert.equal(await (await b.$('[data-testid=papers]')).isExisting(), false);

    const started = Date.now();
    const code = await secondLaunch(
      ['--open', d.id],
      { ...env, DISPLAY: display.display, HOSO_DATA_DIR: dataDir },
      20_000,
    );
    assert.equal(code, 0, 'the second launch should hand over and exit by itself');
    const handOver = Date.now() - started;

    await (await b.$('[data-testid=papers]')).waitForDisplayed({ timeout: 15_000 });
    assert.equal(await (await b.$('[id="f-applicant.full_name"]')).getValue(), 'Lò Văn Páo');
    await screenshot(b, 'second-launch-opened');
    const log = readFileSync(path.join(dataDir, 'logs', 'hoso.log'), 'utf8');
    assert.match(log, /second launch/);
    console.log(`second launch handed over and exited in ${handOver} ms`);

    // Another data folder is another HoSo: it stays up (until the test stops it).
    const other = await secondLaunch([], { ...env, DISPLAY: display.display, HOSO_DATA_DIR: tempDataDir() }, 6000);
    assert.equal(other, null, 'a launch on another data folder should run on its own');
  } finally {
    await app.close();
    bus.stop();
  }
});

/** The HoSo processes whose environment names `dataDir` as their data folder. */
function appProcesses(dataDir) {
  const mine = `HOSO_DATA_DIR=${dataDir}`;
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const comm = readFileSync(`/proc/${p}/comm`, 'utf8').trim();
        return comm === 'hoso-desktop' && readFileSync(`/proc/${p}/environ`, 'utf8').split('\0').includes(mine);
      } catch {
        return false; // Gone, or not ours to read.
      }
    });
}

test('the window draws its pages without loading a GL driver into its own process', async () => {
  const dataDir = tempDataDir();
  const app = await launchApp({ display: display.display, dataDir });
  try {
    const b = app.browser;
    await (await b.$('h1')).waitForDisplayed({ timeout: 15_000 });
    assert.match(await (await b.$('h1')).getText(), /Hồ sơ/);
    await screenshot(b, 'software-drawing');
    const [pid] = await until(() => {
      const found = appProcesses(dataDir);
      return found.length ? found : null;
    }, 5000, 'the window process');
    // Mesa's driver maps LLVM (about 43 MB resident) wherever GL is opened.
    const libraries = new Set(
      readFileSync(`/proc/${pid}/maps`, 'utf8')
        .split('\n')
        .map((l) => path.basename(l.split(/\s+/)[5] ?? ''))
        .filter(Boolean),
    );
    assert.ok(libraries.has(path.basename(readlinkSync(`/proc/${pid}/exe`))), 'the maps should be the app’s');
    const gl = [...libraries].filter((l) => /^(libLLVM|swrast_dri|libGLX_mesa|libEGL_mesa)/.test(l));
    assert.deepEqual(gl, [], 'the window process should not load a GL driver');
  } finally {
    await app.close();
  }
});

test('"Xuất thông tin hỗ trợ" saves the versions and how the window draws, and nothing about anyone', async () => {
  const dataDir = tempDataDir();
  // The person's own home, where Downloads is.
  const home = tempDataDir('hoso-home-');
  const person = { name: 'Lò Văn Páo', cccd: '011203004567' };
  const d = JSON.parse(
    execFileSync(
      bin('hoso'),
      ['--json', 'new', '--procedure', '1.001193', '--field', `applicant.full_name=${person.name}`, '--field', `applicant.cccd=${person.cccd}`],
      { env: { ...process.env, HOSO_DATA_DIR: dataDir } },
    ).toString(),
  );
  // One drawing setting chosen by the user before starting HoSo: it must be kept and reported.
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), WEBKIT_DISABLE_DMABUF_RENDERER: '1' };
  const app = await launchApp({ display: display.display, dataDir, env });
  try {
    const b = app.browser;
    await (await b.$('[data-testid=open-dossier]')).waitForDisplayed({ timeout: 15_000 });
    const settings = await b.$('button*=Cài đặt');
    await settings.click();
    const save = await b.$('[data-testid=save-diagnostics]');
    await save.waitForDisplayed({ timeout: 15_000 });
    await save.click();
    const toast = await b.$('.toast span');
    await b.waitUntil(async () => (await toast.isExisting()) && (await toast.getText()).startsWith('Đã lưu thông tin hỗ trợ'), {
      timeout: 15_000,
      timeoutMsg: 'no message that the support file was saved',
    });
    await screenshot(b, 'support-file-saved');

    const folder = path.join(home, 'Downloads', 'HoSo');
    const files = readdirSync(folder);
    assert.equal(files.length, 1, `one support file: ${files}`);
    assert.match(files[0], /^hoso-ho-tro-\d{4}-\d{2}-\d{2}\.json$/);
    assert.ok((await toast.getText()).includes(path.join(folder, files[0])), 'the message names the file');
    const text = readFileSync(path.join(folder, files[0]), 'utf8');
    const report = JSON.parse(text);

    assert.match(report.hoso.version, /^\d+\.\d+\.\d+/);
    assert.ok(report.dossiers.some((s) => s.live === 1), JSON.stringify(report.dossiers));
    assert.equal(report.database.integrity, 'ok');
    const desktop = report.desktop;
    assert.match(desktop.webviewVersion, /^2\.\d+\.\d+$/, 'the WebKitGTK version');
    assert.equal(desktop.drawing.engine, 'WebKitGTK');
    assert.equal(desktop.drawing.environment.WEBKIT_DISABLE_DMABUF_RENDERER, '1');
    assert.equal(desktop.drawing.environment.GDK_GL, process.env.GDK_GL ?? 'disable');
    assert.ok(desktop.drawing.setByUser.includes('WEBKIT_DISABLE_DMABUF_RENDERER'), JSON.stringify(desktop.drawing));
    if (process.env.GDK_GL === undefined) assert.ok(!desktop.drawing.setByUser.includes('GDK_GL'));
    // How much memory the computer has and HoSo's processes take: "slow" is often short of it.
    assert.ok(report.system.memoryMiB.total >= 256, JSON.stringify(report.system));
    assert.ok(report.system.cores >= 1, JSON.stringify(report.system));
    const names = desktop.processes.map((p) => p.name);
    assert.equal(names[0], 'hoso-desktop', JSON.stringify(desktop.processes));
    assert.ok(names.includes('WebKitWebProces') && names.includes('WebKitNetworkPr'), JSON.stringify(desktop.processes));
    assert.ok(desktop.processes.every((p) => p.rssMiB >= 1), JSON.stringify(desktop.processes));

    for (const secret of [person.name, 'Páo', person.cccd, d.id]) {
      assert.ok(!text.includes(secret), `the support file holds ${secret}`);
    }
  } finally {
    await app.close();
  }
});
