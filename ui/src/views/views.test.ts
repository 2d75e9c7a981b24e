import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';

import { setLocale } from '../lib/i18n/index.svelte';
import { toast } from '../lib/toast.svelte';
import { FakeBackend, freeFee } from '../test/fake-backend';
import App from '../App.svelte';
import DossierEditor from './DossierEditor.svelte';
import Guided from './Guided.svelte';
import Help from './Help.svelte';
import Archive from './Archive.svelte';
import Home from './Home.svelte';
import Settings from './Settings.svelte';

afterEach(() => {
  cleanup();
  setLocale('vi');
});

describe('Home', () => {
  it('lists drafts with their badge and shows names as text, never as markup', async () => {
    const backend = new FakeBackend();
    backend.dossiers.set('a', backend.makeDossier('a', { 'applicant.full_name': '<img src=x onerror=alert(1)>' }));
    render(Home, { backend, onNew: () => {}, onOpen: () => {} });
    expect(await screen.findByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByText('Còn thiếu 4 mục')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Tạo hồ sơ mới/ })).toBeTruthy();
  });

  it('searches as the user types', async () => {
    const backend = new FakeBackend();
    render(Home, { backend, onNew: () => {}, onOpen: () => {} });
    const box = screen.getByLabelText('Tìm hồ sơ');
    await fireEvent.input(box, { target: { value: 'nguyen van' } });
    await waitFor(() =>
      expect(backend.calls.some((c) => c.cmd === 'listDossiers' && (c.args as { query: string }).query === 'nguyen van')).toBe(true),
    );
  });
});

describe('DossierEditor', () => {
  it('shows the checklist and a Vietnamese issue next to the field after a save', async () => {
    const backend = new FakeBackend();
    backend.dossiers.set('d1', backend.makeDossier('d1'));
    backend.saveAnswer = async () => ({
      title: '',
      issues: [{ key: 'applicant.phone', code: 'phone_prefix' }],
      missing: 3,
      fee: freeFee,
      savedAt: 0,
    });
    render(DossierEditor, { backend, id: 'd1', onBack: () => {}, onOpen: () => {} });
    expect(await screen.findByRole('heading', { level: 1, name: 'Đăng ký khai sinh' })).toBeTruthy();
    expect(within(screen.getByTestId('checklist')).getByText('Tờ khai')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'Tờ khai' })).toBeTruthy();
    // An empty required field is not nagged about before the user touches it.
    expect(screen.queryByText('Chưa điền mục này.')).toBeNull();
    const phone = screen.getByLabelText(/Số điện thoại/);
    await fireEvent.input(phone, { target: { value: '0212345678' } });
    expect(await screen.findByText('Số di động phải bắt đầu bằng 03, 05, 07, 08 hoặc 09.', {}, { timeout: 2000 })).toBeTruthy();
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Còn thiếu 3 mục')).toBeTruthy();
    const save = backend.calls.find((c) => c.cmd === 'saveFields');
    expect(save?.args).toEqual({ id: 'd1', changes: [{ key: 'applicant.phone', value: '0212345678' }] });
  });

  it('writes eight typed digits of a date as dd/mm/yyyy', async () => {
    const backend = new FakeBackend();
    backend.dossiers.set('d1', backend.makeDossier('d1'));
    render(DossierEditor, { backend, id: 'd1', onBack: () => {}, onOpen: () => {} });
    const dob = (await screen.findByLabelText(/Ngày sinh/)) as HTMLInputElement;
    await fireEvent.input(dob, { target: { value: '05091990' } });
    expect(dob.value).toBe('05/09/1990');
  });
});

/** jsdom has no modal dialogs: open and close just set `open`. */
function polyfillDialogs(): void {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
}

describe('Submitting', () => {
  it('refuses to finalise while items are missing, then finalises after confirmation', async () => {
    polyfillDialogs();
    const backend = new FakeBackend();
    const d = backend.makeDossier('d1');
    backend.dossiers.set('d1', d);
    render(DossierEditor, { backend, id: 'd1', onBack: () => {}, onOpen: () => {} });
    await fireEvent.click(await screen.findByRole('button', { name: 'Nộp hồ sơ' }));
    expect(await screen.findByText(/Còn thiếu 4 mục\. Hãy bổ sung/)).toBeTruthy();
    expect(backend.calls.some((c) => c.cmd === 'finalizeDossier')).toBe(false);
    cleanup();

    d.missing = 0;
    d.issues = [];
    render(DossierEditor, { backend, id: 'd1', onBack: () => {}, onOpen: () => {} });
    await fireEvent.click(await screen.findByRole('button', { name: 'Nộp hồ sơ' }));
    await fireEvent.click(screen.getByTestId('finalize-confirm'));
    await waitFor(() => expect(backend.calls.some((c) => c.cmd === 'finalizeDossier')).toBe(true));
    expect(await screen.findByTestId('sending-panel')).toBeTruthy();
    expect(screen.getAllByText('Chờ gửi').length).toBeGreaterThan(0);
    expect((screen.getByLabelText(/Họ, chữ đệm và tên/) as HTMLInputElement).disabled).toBe(true);
  });
});

describe('guided flow', () => {
  it('goes one step per screen, shows what is missing, and opens again where it was left', async () => {
    localStorage.clear();
    const backend = new FakeBackend();
    const d = backend.makeDossier('d1');
    backend.dossiers.set('d1', d);
    let left = 0;
    render(Guided, { backend, id: 'd1', onBack: () => (left += 1), onExpert: () => {} });
    expect(await screen.findByRole('heading', { level: 2, name: 'Ai đi làm thủ tục?' })).toBeTruthy();
    expect(screen.getByTestId('step-of').textContent).toBe('Bước 1 / 5');
    expect(screen.getByText(/Cơ quan dùng số định danh/)).toBeTruthy();
    // The checklist names every step and what each still lacks.
    const list = screen.getByTestId('guide-checklist');
    expect(within(list).getByText('Chụp ảnh các giấy tờ')).toBeTruthy();
    expect(within(list).getByText('thiếu 1 giấy')).toBeTruthy();
    // "Tiếp" with empty required fields first shows what is missing, then goes on.
    await fireEvent.click(screen.getByTestId('guide-next'));
    expect(await screen.findByText('Chưa điền mục này.')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Ai đi làm thủ tục?' })).toBeTruthy();
    await fireEvent.click(screen.getByTestId('guide-next'));
    expect(await screen.findByRole('heading', { level: 2, name: 'Cần chuẩn bị những giấy gì?' })).toBeTruthy();
    expect(screen.getByText(/Bộ phận một cửa\./)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('guide-next'));
    expect(await screen.findByRole('heading', { level: 2, name: 'Chụp ảnh các giấy tờ' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'Tờ khai' })).toBeTruthy();
    expect(screen.getByText(/Đặt giấy lên nền tối/)).toBeTruthy();
    // Save and come back later: it opens at the same step.
    await fireEvent.click(screen.getByTestId('save-later'));
    await waitFor(() => expect(left).toBe(1));
    cleanup();
    render(Guided, { backend, id: 'd1', onBack: () => {}, onExpert: () => {} });
    expect(await screen.findByRole('heading', { level: 2, name: 'Chụp ảnh các giấy tờ' })).toBeTruthy();
    // The last step will not send while something is missing, and says how many.
    await fireEvent.click(within(screen.getByTestId('guide-checklist')).getByText('Nộp hồ sơ'));
    expect(await screen.findByTestId('not-ready')).toBeTruthy();
    expect(screen.queryByTestId('guided-send')).toBeNull();
  });
});

describe('help', () => {
  it('works offline: the desk to call, the topics of this screen first, searched without diacritics', async () => {
    const backend = new FakeBackend();
    render(Help, { backend, screen: 'archive', onBack: () => {} });
    expect(await screen.findByText(/Chưa có thông tin bộ phận một cửa/)).toBeTruthy();
    const first = screen.getAllByTestId('help-topic')[0]!;
    expect(first.dataset.id).toBe('archive');
    await fireEvent.input(screen.getByTestId('help-search'), { target: { value: 'nop khi khong co mang' } });
    await waitFor(() => expect(screen.getAllByTestId('help-topic').map((a) => a.dataset.id)).toEqual(['send']));
    await fireEvent.input(screen.getByTestId('help-search'), { target: { value: 'xyz không có' } });
    expect(await screen.findByText(/Không tìm thấy chủ đề nào/)).toBeTruthy();
    cleanup();

    backend.desk = { name: 'Bộ phận một cửa UBND xã Lũng Cú', phone: '0219 3861 234', address: 'Xã Lũng Cú', hours: 'Sáng 7:30–11:30' };
    render(Help, { backend, screen: null, onBack: () => {} });
    const phone = await screen.findByTestId('support-phone');
    expect(phone.getAttribute('href')).toBe('tel:02193861234');
    expect(within(screen.getByTestId('support-card')).getByText('Bộ phận một cửa UBND xã Lũng Cú')).toBeTruthy();
  });

  it('keeps the desk an official enters in Settings', async () => {
    const backend = new FakeBackend();
    render(Settings, { backend, onBack: () => {} });
    // Typed once what is stored has been shown.
    await waitFor(() => expect(backend.calls.some((c) => c.cmd === 'supportDesk')).toBe(true));
    await tick();
    await fireEvent.input(await screen.findByTestId('desk-name'), { target: { value: 'Bộ phận một cửa UBND xã A' } });
    await fireEvent.input(screen.getByTestId('desk-phone'), { target: { value: '0219 3861 234' } });
    await fireEvent.click(screen.getByTestId('desk-save'));
    await waitFor(() => expect(backend.desk.name).toBe('Bộ phận một cửa UBND xã A'));
    expect(backend.desk.phone).toBe('0219 3861 234');
  });
});

describe('photo quality', () => {
  it('says what is wrong with a photo and how to retake it, and keeps it when asked', async () => {
    localStorage.clear();
    const backend = new FakeBackend();
    backend.qualityByName.set('mo', ['blurry', 'cut_off']);
    backend.dossiers.set('d1', backend.makeDossier('d1'));
    render(DossierEditor, { backend, id: 'd1', onBack: () => {}, onOpen: () => {} });
    // What the paper is and where to get it, with its drawing.
    const about = await screen.findByTestId('paper-about');
    expect(within(about).getByText('Giấy này là gì, lấy ở đâu?')).toBeTruthy();
    expect(within(about).getByRole('img').getAttribute('aria-label')).toMatch(/tờ khai/);
    expect(within(about).getByText(/Bộ phận một cửa\./)).toBeTruthy();

    const input = document.querySelector('input[type=file][data-component=to_khai]') as HTMLInputElement;
    const file = new File([new Uint8Array([0xff, 0xd8])], 'mo.jpg', { type: 'image/jpeg' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
    const warning = await screen.findByTestId('quality-warning', {}, { timeout: 3000 });
    expect(warning.getAttribute('data-flags')).toBe('blurry cut_off');
    expect(within(warning).getByText(/Ảnh bị mờ.*tì khuỷu tay/)).toBeTruthy();
    expect(within(warning).getByText(/bị cắt mất.*bốn góc giấy/)).toBeTruthy();
    await fireEvent.click(within(warning).getByRole('button', { name: 'Vẫn giữ ảnh trang 1' }));
    await waitFor(() => expect(screen.queryByTestId('quality-warning')).toBeNull());
    // The page stays.
    expect(screen.getAllByTestId('page')).toHaveLength(1);
  });
});

describe('fees and payment', () => {
  it('shows the fee, asks how the result comes back, then shows the VietQR code until it is paid', async () => {
    polyfillDialogs();
    const backend = new FakeBackend();
    const d = backend.makeDossier('d1');
    d.missing = 0;
    d.issues = [];
    d.fee = {
      kind: 'amount', total: 15000, totalText: '15.000đ', note: '3 trang, 3 bản.',
      lines: [
        { label: 'Trang 1–2: 2 trang × 2.000đ', amount: 4000, amountText: '4.000đ' },
        { label: 'Từ trang 3: 1 trang × 1.000đ', amount: 1000, amountText: '1.000đ' },
        { label: 'Thêm 2 bản × 5.000đ', amount: 10000, amountText: '10.000đ' },
      ],
    };
    backend.dossiers.set('d1', d);
    render(DossierEditor, { backend, id: 'd1', onBack: () => {}, onOpen: () => {} });
    const fee = (await screen.findAllByTestId('fee'))[0]!;
    expect(within(fee).getByTestId('fee-total').textContent).toBe('15.000đ');
    expect(within(fee).getByText('Thêm 2 bản × 5.000đ')).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Nộp hồ sơ' }));
    const desk = screen.getByTestId('delivery-desk') as HTMLInputElement;
    expect(desk.checked).toBe(true);
    await fireEvent.click(screen.getByTestId('delivery-post'));
    expect(await screen.findByText('Ghi địa chỉ nhận kết quả qua bưu điện.')).toBeTruthy();
    expect((screen.getByTestId('finalize-confirm') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('delivery-address'), { target: { value: 'Thôn 3, Xã Tả Van, Tỉnh Lào Cai' } });
    await fireEvent.click(screen.getByTestId('finalize-confirm'));
    await waitFor(() => expect(backend.calls.some((c) => c.cmd === 'finalizeDossier')).toBe(true));
    const saved = backend.calls.filter((c) => c.cmd === 'saveFields').flatMap((c) => (c.args as { changes: { key: string; value: string }[] }).changes);
    expect(saved).toContainEqual({ key: 'delivery.method', value: 'post' });
    expect(saved).toContainEqual({ key: 'delivery.address', value: 'Thôn 3, Xã Tả Van, Tỉnh Lào Cai' });
    const finalizeAt = backend.calls.findIndex((c) => c.cmd === 'finalizeDossier');
    const lastSave = backend.calls.map((c) => c.cmd).lastIndexOf('saveFields');
    expect(lastSave).toBeLessThan(finalizeAt);

    // The portal asks for the fee: the VietQR code and "Chờ thanh toán"; then the bank's notice.
    const payment = {
      amount: 15000, amountText: '15.000đ', reference: 'HOSOHS2611220001K', bankBin: '970415', bankName: 'VietinBank',
      account: '113366668888', accountName: 'UBND XA HOSO MAU', paid: false, paidAt: null,
      vietqr: '000201010212…', qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>',
    };
    d.state = 'received';
    d.receipt = 'HS-261122-000001-K';
    d.payment = payment;
    for (const l of backend.sendingListeners) l({ connected: true, unauthorized: false, submitted: [], setAside: [], statusChanges: 1, paused: false });
    const panel = await screen.findByTestId('payment-panel');
    expect(within(panel).getByTestId('payment-state').textContent).toBe('Chờ thanh toán');
    expect(within(panel).getByTestId('payment-amount').textContent).toBe('15.000đ');
    expect(within(panel).getByTestId('payment-reference').textContent).toBe('HOSOHS2611220001K');
    expect(within(panel).getByRole('img', { name: 'Mã VietQR để chuyển khoản 15.000đ' })).toBeTruthy();
    d.payment = { ...payment, paid: true, paidAt: Date.UTC(2026, 10, 22, 3, 0) };
    d.timeline = [{ at: Date.UTC(2026, 10, 22, 3, 0), kind: 'payment:paid', detail: '15000|HOSOHS2611220001K' }];
    for (const l of backend.sendingListeners) l({ connected: true, unauthorized: false, submitted: [], setAside: [], statusChanges: 1, paused: false });
    await waitFor(() => expect(screen.getByTestId('payment-state').textContent).toBe('✓ Đã thanh toán'));
    expect(screen.queryByTestId('payment-qr')).toBeNull();
    expect(screen.getByTestId('timeline').textContent).toContain('Đã thanh toán lệ phí – 15.000đ');
  });
});

describe('bundles', () => {
  const info = {
    kind: 'dossier', dossierId: 'b1', procedureCode: '2.000884', procedureName: 'Chứng thực chữ ký trong các giấy tờ, văn bản',
    applicant: 'Lò Thị Mai', pages: 2, receipt: null, madeBy: 'Máy nhà chị Mai', fingerprint: '3F2A-91C0-77AB-0C1D',
    createdAt: Date.UTC(2026, 10, 22, 2, 0), existing: null as string | null,
  };
  const bundle = () => new File([new Uint8Array([0x50, 0x4b, 3, 4])], 'ho-so.hoso');

  async function open(backend: FakeBackend, opened: string[]): Promise<HTMLElement> {
    render(Home, { backend, onNew: () => {}, onOpen: (id: string) => opened.push(id) });
    const input = (await screen.findByTestId('bundle-file')) as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [bundle()], configurable: true });
    await fireEvent.change(input);
    return screen.findByTestId('bundle-dialog');
  }

  it('shows who made a bundle before importing it, on behalf, and opens the dossier', async () => {
    polyfillDialogs();
    const backend = new FakeBackend();
    backend.bundle = { ...info };
    const opened: string[] = [];
    const dialog = await open(backend, opened);
    const facts = await within(dialog).findByTestId('bundle-info');
    expect(facts.textContent).toContain('Máy nhà chị Mai');
    expect(facts.textContent).toContain('3F2A-91C0-77AB-0C1D');
    expect(facts.textContent).toContain('Lò Thị Mai');
    await fireEvent.click(within(dialog).getByTestId('bundle-behalf'));
    await fireEvent.click(within(dialog).getByTestId('bundle-import'));
    await waitFor(() => expect(opened).toEqual(['b1']));
    expect(backend.calls.find((c) => c.cmd === 'bundleImport')?.args).toEqual({ name: 'ho-so.hoso', replace: false, onBehalf: true });
  });

  it('asks before replacing another version, and shows why a bundle is refused', async () => {
    polyfillDialogs();
    const backend = new FakeBackend();
    backend.bundle = { ...info, existing: 'different' };
    const opened: string[] = [];
    const dialog = await open(backend, opened);
    expect(await within(dialog).findByText('Máy này đã có hồ sơ này với nội dung khác.')).toBeTruthy();
    await fireEvent.click(within(dialog).getByTestId('bundle-replace'));
    expect(within(dialog).getByText(/sẽ được thay bằng bản trong gói/)).toBeTruthy();
    await fireEvent.click(within(dialog).getByTestId('bundle-replace-yes'));
    await waitFor(() => expect(opened).toEqual(['b1']));
    expect(backend.calls.find((c) => c.cmd === 'bundleImport')?.args).toMatchObject({ replace: true });
    cleanup();

    const refusing = new FakeBackend();
    const again = await open(refusing, []);
    expect((await within(again).findByRole('alert')).textContent).toContain('cắt cụt');
    expect(within(again).queryByTestId('bundle-import')).toBeNull();
  });
});

describe('App', () => {
  it('notifies when a dossier reaches the portal and shows the connection', async () => {
    const backend = new FakeBackend();
    render(App, { backend });
    await screen.findByRole('heading', { level: 1, name: 'Hồ sơ của bạn' });
    for (const l of backend.sendingListeners) {
      l({ connected: true, unauthorized: false, submitted: [{ id: 'd1', receipt: 'HS-261122-000001-K' }], setAside: [], statusChanges: 0, paused: false });
    }
    expect(backend.notifications.map((n) => n.body)).toContain('Hồ sơ đã được nộp – mã HS-261122-000001-K');
    expect((await screen.findByTestId('sync-status')).textContent).toMatch('Đã kết nối');
  });

  it('saves what was just typed when the window closes, without waiting for the pause', async () => {
    const backend = new FakeBackend();
    render(App, { backend });
    await fireEvent.click(await screen.findByRole('button', { name: /Tạo hồ sơ mới/ }));
    await fireEvent.click(await screen.findByRole('button', { name: /Đăng ký khai sinh/ }));
    const name = await screen.findByLabelText(/Họ, chữ đệm và tên/);
    await fireEvent.input(name, { target: { value: 'Nguyễn Thị Hoa' } });
    expect(backend.calls.some((c) => c.cmd === 'saveFields')).toBe(false);
    await backend.beforeClose?.();
    const save = backend.calls.find((c) => c.cmd === 'saveFields');
    expect(save?.args).toEqual({ id: 'd1', changes: [{ key: 'applicant.full_name', value: 'Nguyễn Thị Hoa' }] });
  });

  it('opens the dossier the command line names, and the one a second launch asks for after saving', async () => {
    const backend = new FakeBackend();
    backend.dossiers.set('d7', backend.makeDossier('d7', { 'applicant.full_name': 'Lò Văn Páo' }));
    backend.dossiers.set('d8', backend.makeDossier('d8', { 'applicant.full_name': 'Giàng Thị Mai' }));
    backend.launchRequest = 'd7';
    render(App, { backend });
    const name = (await screen.findByLabelText(/Họ, chữ đệm và tên/)) as HTMLInputElement;
    expect(name.value).toBe('Lò Văn Páo');
    expect(backend.calls.find((c) => c.cmd === 'openDossier')?.args).toBe('d7');
    await fireEvent.input(name, { target: { value: 'Lò Văn Pao' } });
    backend.secondLaunch('d8');
    await waitFor(() => expect((screen.getByLabelText(/Họ, chữ đệm và tên/) as HTMLInputElement).value).toBe('Giàng Thị Mai'));
    // What was typed in the first dossier was saved before the second one opened.
    const save = backend.calls.find((c) => c.cmd === 'saveFields');
    expect(save?.args).toEqual({ id: 'd7', changes: [{ key: 'applicant.full_name', value: 'Lò Văn Pao' }] });
  });

  it('shows the start-up error with the file path instead of the app when the store cannot open', async () => {
    const backend = new FakeBackend();
    backend.startupResult = {
      dataDir: '/data',
      dbPath: '/data/hoso.sqlite3',
      info: null,
      error: { code: 'store_corrupt', message: 'the database is damaged' },
    };
    render(App, { backend });
    expect(await screen.findByText('HoSo chưa mở được dữ liệu của bạn')).toBeTruthy();
    expect(screen.getByText('/data/hoso.sqlite3')).toBeTruthy();
    expect(screen.getByText(/Tệp dữ liệu bị hỏng/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });
});

describe('support information', () => {
  it('saves the support file and says where', async () => {
    const backend = new FakeBackend();
    render(Settings, { backend, onBack: () => {} });
    await fireEvent.click(await screen.findByTestId('save-diagnostics'));
    await waitFor(() => expect(toast.current?.text).toBe('Đã lưu thông tin hỗ trợ: /home/user/Downloads/HoSo/hoso-ho-tro-2026-11-22.json'));
    expect(backend.calls.some((c) => c.cmd === 'saveDiagnostics')).toBe(true);
  });
});

describe('watched folders', () => {
  it('adds a folder by the picker or by its path, says when it cannot, and stops watching one', async () => {
    const backend = new FakeBackend();
    backend.picked = '/media/usb/DCIM';
    render(Settings, { backend, onBack: () => {} });
    const card = await screen.findByTestId('watch-folders');
    expect(within(card).getByText('Chưa theo dõi thư mục nào.')).toBeTruthy();
    await fireEvent.click(within(card).getByRole('button', { name: 'Chọn thư mục…' }));
    await waitFor(() => expect(within(card).getAllByTestId('watch-folder')).toHaveLength(1));
    expect(backend.calls.find((c) => c.cmd === 'addWatchFolder')?.args).toEqual({ path: '/media/usb/DCIM', takeExisting: false });
    await fireEvent.input(within(card).getByTestId('folder-path'), { target: { value: 'Downloads' } });
    await fireEvent.click(within(card).getByTestId('folder-add'));
    await within(card).findByRole('alert');
    await fireEvent.click(within(card).getByRole('checkbox'));
    await fireEvent.input(within(card).getByTestId('folder-path'), { target: { value: '/home/an/Zalo Received Files' } });
    await fireEvent.click(within(card).getByTestId('folder-add'));
    await waitFor(() => expect(within(card).getAllByTestId('watch-folder')).toHaveLength(2));
    expect(backend.calls.filter((c) => c.cmd === 'addWatchFolder').at(-1)?.args).toEqual({ path: '/home/an/Zalo Received Files', takeExisting: true });
    await fireEvent.click(within(card).getByRole('button', { name: 'Bỏ theo dõi /media/usb/DCIM' }));
    await waitFor(() => expect(within(card).getAllByTestId('watch-folder')).toHaveLength(1));
  });

  it('says on the home screen how many new photos wait and which folder cannot be read', async () => {
    const backend = new FakeBackend();
    backend.folders = [{ path: '/media/usb', addedAt: 0, missing: true }, { path: '/home/an/Zalo', addedAt: 0, missing: false }];
    backend.arrive({ id: 1, name: 'a.jpg', sourcePath: '/home/an/Zalo/a.jpg', byteSize: 1, foundAt: 0, sha256: 'x' });
    render(Home, { backend, onNew: () => {}, onOpen: () => {} });
    expect((await screen.findByTestId('home-inbox')).textContent).toContain('1 ảnh mới');
    expect((await screen.findByTestId('home-missing-folder')).textContent).toContain('/media/usb');
    expect(screen.getAllByTestId('home-missing-folder')).toHaveLength(1);
  });
});


describe('archive', () => {
  it('digitises a folder, says what it made, finds a page without diacritics and saves its details', async () => {
    polyfillDialogs();
    const backend = new FakeBackend();
    render(Archive, { backend, onBack: () => {} });
    expect(await screen.findByText('Chưa có hồ sơ số hóa nào.')).toBeTruthy();
    // Pages left waiting by an earlier session are read again.
    expect(backend.calls.some((c) => c.cmd === 'archiveRead')).toBe(true);

    await fireEvent.click(screen.getByTestId('archive-start'));
    expect((await screen.findByRole('alert')).textContent).toContain('Hãy chọn hoặc gõ đường dẫn thư mục ảnh.');

    await fireEvent.input(screen.getByTestId('archive-folder'), { target: { value: ' /media/usb/SCAN ' } });
    await fireEvent.change(screen.getByTestId('archive-grouping'), { target: { value: 'blank' } });
    await fireEvent.click(screen.getByTestId('archive-start'));
    expect((await screen.findByTestId('archive-summary')).textContent).toContain(
      'Đã số hóa 2 trang thành 1 hồ sơ (1 trang trắng, 0 tờ phân cách bỏ qua, 0 tệp đã có từ trước).',
    );
    expect(backend.calls.find((c) => c.cmd === 'archiveDigitise')?.args).toEqual({ path: '/media/usb/SCAN', grouping: 'blank', ocr: true });
    const progress = (done: number, finished: boolean, left = 0) => {
      for (const l of backend.archiveListeners) l({ phase: 'ocr', done, total: 2, finished, left });
    };
    progress(1, false);
    expect((await screen.findByTestId('archive-reading')).textContent).toContain('Đang đọc chữ 1/2 trang');
    // Stopped halfway, then read on.
    await fireEvent.click(screen.getByTestId('archive-stop'));
    expect(backend.calls.some((c) => c.cmd === 'archiveStopReading')).toBe(true);
    progress(1, true, 1);
    expect((await screen.findByTestId('archive-read-stopped')).textContent).toBe('Đã dừng đọc chữ; còn 1 trang chưa đọc.');
    const reads = backend.calls.filter((c) => c.cmd === 'archiveRead').length;
    await fireEvent.click(screen.getByRole('button', { name: 'Đọc tiếp' }));
    expect(backend.calls.filter((c) => c.cmd === 'archiveRead').length).toBe(reads + 1);
    progress(2, true);
    expect(await screen.findByTestId('archive-read-done')).toBeTruthy();

    await fireEvent.input(screen.getByTestId('archive-search'), { target: { value: 'hoang thi my huyen' } });
    const hit = await screen.findByTestId('archive-hit');
    expect(hit.querySelector('mark')?.textContent).toBe('Hoàng');

    await fireEvent.click(hit);
    const page = await screen.findByTestId('archive-page');
    expect((within(page).getByTestId('archive-text') as HTMLTextAreaElement).value).toBe('Ông/Bà: Hoàng Thị Mỹ Huyền');
    await fireEvent.input(within(page).getByTestId('archive-people'), { target: { value: 'Hoàng Thị Mỹ Huyền' } });
    await fireEvent.click(within(page).getByTestId('archive-save'));
    await waitFor(() => expect(toast.current?.text).toBe('Đã lưu thông tin hồ sơ.'));
    expect(backend.calls.find((c) => c.cmd === 'archiveSetMeta')?.args).toEqual({
      id: 1,
      meta: { kind: '', number: '', date: '', people: 'Hoàng Thị Mỹ Huyền', tags: '' },
    });
  });

  it('splits a record from a page, undoes it, and offers the sheets, the export and the import', async () => {
    polyfillDialogs();
    const backend = new FakeBackend();
    backend.archive = [backend.archiveRecordOf(1, { kind: 'Sổ hộ tịch' }, ['Trang một', 'Trang hai Lò Văn Páo', 'Trang ba'])];
    render(Archive, { backend, onBack: () => {} });
    await fireEvent.input(screen.getByTestId('archive-search'), { target: { value: 'lo van pao' } });
    await fireEvent.click(await screen.findByTestId('archive-hit'));
    const page = await screen.findByTestId('archive-page');
    // Page 2 of the only record: it can be split off, not merged (nothing before it).
    expect(within(page).queryByTestId('archive-merge')).toBeNull();
    await fireEvent.click(within(page).getByTestId('archive-split'));
    await waitFor(() => expect(toast.current?.text).toBe('Đã tách 2 trang thành hồ sơ mới.'));
    expect(backend.calls.find((c) => c.cmd === 'archiveSplit')?.args).toEqual({ id: 1, position: 2 });
    expect(backend.archive.map((r) => r.pages.length)).toEqual([2, 1]);
    await toast.current?.action?.run();
    expect(backend.calls.find((c) => c.cmd === 'archiveMerge')?.args).toEqual({ into: 1, from: 2 });
    expect(backend.archive.map((r) => r.pages.length)).toEqual([3]);

    await fireEvent.input(screen.getByTestId('archive-sheet-kind'), { target: { value: 'Sổ khai tử' } });
    await fireEvent.click(screen.getByTestId('archive-sheet'));
    await waitFor(() => expect(toast.current?.text).toBe('Đã lưu tờ phân cách: /home/user/Downloads/HoSo/to-phan-cach-hoso.pdf'));
    expect(backend.calls.find((c) => c.cmd === 'archiveSaveSeparator')?.args).toBe('Sổ khai tử');
    await fireEvent.click(screen.getByTestId('archive-export'));
    await waitFor(() => expect(toast.current?.text).toBe('Đã xuất vào thư mục /home/user/Downloads/HoSo/luu-tru-2026-11-22'));
    await fireEvent.input(screen.getByTestId('archive-import-path'), { target: { value: '/media/usb/luu-tru' } });
    await fireEvent.click(screen.getByTestId('archive-import'));
    expect((await screen.findByTestId('archive-imported')).textContent).toContain('Đã nhập 2 hồ sơ (5 trang); 1 hồ sơ đã có nên bỏ qua.');
  });

  it('says when nothing matches', async () => {
    const backend = new FakeBackend();
    render(Archive, { backend, onBack: () => {} });
    await fireEvent.input(screen.getByTestId('archive-search'), { target: { value: 'khong ai' } });
    expect(await screen.findByText('Không tìm thấy trang nào có “khong ai”.')).toBeTruthy();
  });
});
