// Starts what an end-to-end test needs and stops it afterwards: an X server (Xvfb), tauri-driver
// (which starts WebKitWebDriver, which starts the real HoSo binary), and a WebDriver session.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { remote } from 'webdriverio';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const artifacts = path.join(root, 'target', 'e2e');
mkdirSync(artifacts, { recursive: true });

export const appBinary =
  process.env.HOSO_APP_BINARY ?? path.join(root, 'target', 'debug', 'hoso-desktop');
const tauriDriver = process.env.TAURI_DRIVER ?? 'tauri-driver';
const miniBrowser =
  process.env.HOSO_PHONE_BROWSER ??
  execFileSync('sh', ['-c', 'ls /usr/lib/*/webkit2gtk-4.1/MiniBrowser | head -n 1']).toString().trim();

/** A free TCP port on 127.0.0.1 (for a server a test starts). */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until the WebDriver server on `port` says it is ready (bounded). */
async function waitForDriver(port, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(1000) });
      if (res.ok && (await res.json()).value?.ready) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`the WebDriver server on port ${port} was not ready within ${ms} ms`);
}

/** Data folders made by this test file: removed when it exits, kept (and named) if it failed. */
const madeDirs = [];
process.on('exit', (code) => {
  for (const dir of madeDirs) {
    if (code === 0) rmSync(dir, { recursive: true, force: true });
    else console.error(`kept for inspection: ${dir}`);
  }
});

export function tempDataDir(prefix = 'hoso-e2e-') {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/** The debug build of one of the project's binaries (`hoso`, `hoso-portal`, …). */
export const bin = (name) => path.join(root, 'target', 'debug', name);

/**
 * A reference portal's data folder with a device token, and a free port to serve it on (not
 * started: see `startPortal`).
 */
export async function portalPlaces() {
  const portalDir = tempDataDir('hoso-portal-');
  const token = execFileSync(bin('hoso-portal'), ['token', 'create', '--data', portalDir]).toString().trim();
  const port = await freePort();
  return { portalDir, token, port, url: `http://127.0.0.1:${port}` };
}

/** Starts the reference portal (stop it with `.kill('SIGTERM')`). */
export function startPortal({ portalDir, port }) {
  return spawn(bin('hoso-portal'), ['--listen', `127.0.0.1:${port}`, '--data', portalDir], { stdio: 'ignore' });
}

/**
 * A complete certified-signature draft (2.000884, fee 10.000đ) made with the CLI in `dataDir`:
 * every field filled and one page attached. `cli(...args)` runs `hoso --json` on that folder.
 */
export function completeCertifiedSignature(cli, dataDir) {
  const d = cli(
    'new', '--procedure', '2.000884',
    '--field', 'applicant.full_name=Nguyễn Thị Hoa', '--field', 'applicant.cccd=001190012345',
    '--field', 'applicant.dob=05/09/1990', '--field', 'applicant.sex=Nữ',
    '--field', 'applicant.address=Thôn 3, xã Tả Van, tỉnh Lào Cai', '--field', 'applicant.phone=0912345678',
    '--field', 'document.name=Hợp đồng thuê nhà',
  );
  const page = path.join(dataDir, 'trang-1.pdf');
  writeFileSync(page, '%PDF-1.7 hop dong thue nha');
  cli('attach', d.id, 'van_ban', page);
  return d;
}

let currentDisplay = null;

/** One X display for the whole test file. */
export async function startDisplay() {
  const display = `:${100 + (process.pid % 400)}`;
  currentDisplay = display;
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1366x768x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  await sleep(700);
  if (xvfb.exitCode !== null) throw new Error(`Xvfb ${display} exited with ${xvfb.exitCode}`);
  return { display, stop: () => xvfb.kill('SIGTERM') };
}

/**
 * Starts a WebDriver server (`command args`, which must listen on `ports`) and opens a session
 * with `capabilities`, trying a bounded few times while the driver settles. `close()` ends the
 * session and stops the server.
 */
async function session({ command, args, env, ports, capabilities, what }) {
  const driver = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let driverLog = '';
  driver.stderr.on('data', (d) => (driverLog += d));
  let browser;
  try {
    for (const p of ports) await waitForDriver(p);
    for (let attempt = 1; ; attempt++) {
      try {
        browser = await remote({
          hostname: '127.0.0.1',
          port: ports[0],
          logLevel: 'error',
          connectionRetryCount: 0,
          capabilities: { ...capabilities, 'wdio:enforceWebDriverClassic': true },
        });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await sleep(1000);
      }
    }
  } catch (e) {
    driver.kill('SIGTERM');
    throw new Error(`could not start ${what}: ${e.message}\n${driverLog}`);
  }
  return {
    browser,
    async close() {
      try {
        await browser.deleteSession();
      } finally {
        driver.kill('SIGTERM');
        await Promise.race([once(driver, 'exit'), sleep(5000)]);
      }
    },
  };
}

/**
 * Starts tauri-driver with the app's data directory in its environment (the app inherits it)
 * and opens a WebDriver session, which launches HoSo. `close()` ends the session (the app
 * exits) and the driver.
 */
export async function launchApp({ display, dataDir, env = {} }) {
  const port = await freePort();
  const nativePort = await freePort();
  return session({
    command: tauriDriver,
    args: ['--port', String(port), '--native-port', String(nativePort)],
    env: { ...process.env, DISPLAY: display, HOSO_DATA_DIR: dataDir, ...env },
    ports: [port, nativePort],
    capabilities: { 'tauri:options': { application: appBinary } },
    what: 'a session',
  });
}

/**
 * A phone's browser for the phone bridge's page: WebKitWebDriver driving MiniBrowser (the WebKit
 * engine of iPhones' Safari, shipped with the webkit2gtk the app needs anyway).
 */
export async function openPhoneBrowser(display) {
  const port = await freePort();
  return session({
    command: 'WebKitWebDriver',
    args: [`--port=${port}`],
    env: { ...process.env, DISPLAY: display },
    ports: [port],
    capabilities: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] },
    },
    what: "the phone's browser",
  });
}

/** Opens the first dossier of the list and waits for its papers. */
export async function openFirstDossier(browser) {
  const open = await browser.$('[data-testid=open-dossier]');
  await open.waitForDisplayed({ timeout: 15_000 });
  // A toast at the bottom of the window may cover the list's end: close it, as a person would.
  const toastClose = await browser.$('button[aria-label="Đóng thông báo"]');
  if (await toastClose.isDisplayed()) await toastClose.click();
  await open.scrollIntoView({ block: 'center' });
  await open.click();
  await (await browser.$('[data-testid=papers]')).waitForDisplayed({ timeout: 15_000 });
}

/**
 * Waits two animation frames so the window shows the current state, then saves what the X
 * display shows of the window. (WebKitWebDriver's own screenshot waits for a composited frame,
 * which never comes while HoSo draws its pages in software, as it does for users.)
 */
export async function screenshot(browser, name, windowTitle = 'HoSo —') {
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  const tree = execFileSync('xwininfo', ['-display', currentDisplay, '-root', '-tree']).toString();
  const line = tree.split('\n').find((l) => l.includes(`"${windowTitle}`));
  if (!line) throw new Error(`no "${windowTitle}" window on ${currentDisplay}:\n${tree}`);
  const id = line.trim().split(/\s+/)[0];
  const file = path.join(artifacts, `${name}.png`);
  execFileSync('import', ['-display', currentDisplay, '-window', id, file]);
  return file;
}

const axeSource = readFileSync(path.join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Runs axe-core in the real window; returns serious and critical violations. */
export async function axeViolations(browser, name) {
  await browser.execute(axeSource);
  const violations = await browser.executeAsync((done) => {
    // eslint-disable-next-line no-undef
    axe
      .run(document, { resultTypes: ['violations'] })
      .then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }))))
      .catch((e) => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));
  });
  writeFileSync(path.join(artifacts, `axe-${name}.json`), JSON.stringify(violations, null, 2));
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The page's h1, once shown. */
export async function heading(browser) {
  const h1 = await browser.$('h1');
  await h1.waitForDisplayed({ timeout: 15_000 });
  return h1.getText();
}

export async function waitForHeading(browser, text) {
  await browser.waitUntil(async () => (await heading(browser)) === text, {
    timeout: 15_000,
    timeoutMsg: `heading never became “${text}”`,
  });
}

/** Waits until the screen says everything typed is saved. */
export async function waitSaved(browser) {
  await browser.waitUntil(
    async () => (await (await browser.$('[data-testid=save-status]')).getAttribute('data-kind')) === 'saved',
    { timeout: 10_000, timeoutMsg: 'the dossier was never saved' },
  );
}

/** Types into the focused element (WebKitWebDriver drops spaces from fast key actions). */
export async function typeIntoFocused(browser, text) {
  const active = await browser.getActiveElement();
  await (await browser.$(active)).addValue(text);
}

/** The input of a form field by its key. */
export async function field(browser, key) {
  return browser.$(`input[data-key="${key}"]`);
}

export async function assertNoAxeViolations(browser, name) {
  const bad = await axeViolations(browser, name);
  assert.deepEqual(bad, [], `axe found serious/critical problems on ${name}: ${JSON.stringify(bad, null, 2)}`);
}

/** The window does not scroll sideways. */
export async function assertNoHorizontalScroll(browser, where) {
  const { scroll, width } = await browser.execute(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `${where}: content is ${scroll}px wide in a ${width}px window`);
}

/** Every piece of text on screen (drawings aside) is set at `px` CSS pixels or more. */
export async function assertTextAtLeast(browser, px, where) {
  const small = await browser.execute((min) => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || el.closest('svg')) continue;
      const box = el.getBoundingClientRect();
      // Screen-reader-only text (a 1-px clip) is not seen.
      if (box.width <= 1 || box.height <= 1) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      const size = parseFloat(style.fontSize);
      if (size < min - 0.01) out.push(`${size}px: ${text.slice(0, 50)}`);
    }
    return out;
  }, px);
  assert.deepEqual(small, [], `${where}: text smaller than ${px}px`);
}

/**
 * Presses Tab (at most `limit` times) until `predicate(arg)` holds in the page (it runs there,
 * so it sees nothing of the test's variables but `arg`).
 */
export async function tabTo(browser, predicate, what, limit = 60, arg = null) {
  for (let i = 0; i < limit; i++) {
    await browser.keys('Tab');
    if (await browser.execute(predicate, arg)) return;
  }
  assert.fail(`Tab never reached ${what}`);
}
