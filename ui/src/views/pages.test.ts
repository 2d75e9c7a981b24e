import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { PageEdit } from '../lib/bindings';
import { setLocale } from '../lib/i18n/index.svelte';
import { formatDuration, transferSeconds, LINK_2G, LINK_3G } from '../lib/pages';
import { closeToast, toast } from '../lib/toast.svelte';
import { FakeBackend } from '../test/fake-backend';
import DossierEditor from './DossierEditor.svelte';

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

afterEach(() => {
  cleanup();
  closeToast();
  setLocale('vi');
});

function photo(name: string): File {
  return new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], name, { type: 'image/jpeg' });
}

async function editor(): Promise<FakeBackend> {
  const backend = new FakeBackend();
  backend.dossiers.set('d1', backend.makeDossier('d1'));
  render(DossierEditor, { backend, id: 'd1', onBack: () => {}, onOpen: () => {} });
  await screen.findByRole('heading', { level: 1, name: 'Đăng ký khai sinh' });
  return backend;
}

async function pick(files: File[]): Promise<void> {
  const input = document.querySelector('input[type=file][data-component="to_khai"]') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  await fireEvent.change(input);
}

const pageIds = () => screen.queryAllByTestId('page').map((li) => Number(li.dataset.pageId));

describe('sending time', () => {
  it('says how long a size takes at 2G and 3G, in Vietnamese', () => {
    expect(transferSeconds(25_000, LINK_2G)).toBe(2);
    expect(formatDuration(transferSeconds(25_000, LINK_2G))).toBe('2 giây');
    expect(formatDuration(transferSeconds(25_000, LINK_3G))).toBe('dưới 1 giây');
    expect(formatDuration(transferSeconds(3_000_000, LINK_2G))).toBe('4 phút 0 giây');
  });
});

describe('pages in the editor', () => {
  it('cleans picked photos one after the other, with sizes and times, and marks an unreadable one', async () => {
    const backend = await editor();
    await pick([photo('trang-1.jpg'), photo('anh-hong.jpg'), photo('trang-3.jpg')]);
    await waitFor(() => expect(screen.getAllByTestId('page').map((p) => p.dataset.state)).toEqual(['done', 'failed', 'done']));
    const scans = backend.calls.filter((c) => c.cmd === 'scanPage').map((c) => (c.args as { pageId: number }).pageId);
    expect(scans).toEqual([1, 2, 3]);
    const sizes = screen.getAllByTestId('page-size').map((s) => s.textContent);
    expect(sizes[0]).toBe('24 KB · 2G: 2 giây · 3G: dưới 1 giây');
    // The unreadable photo is sent as it is: 3 MB, and says why and what to do.
    expect(sizes[1]).toBe('2,9 MB · 2G: 4 phút 0 giây · 3G: 24 giây');
    expect(screen.getByText(/Không đọc được ảnh này: Tệp ảnh bị hỏng/)).toBeTruthy();
    expect(screen.getByTestId('dossier-size').textContent).toMatch(/Cả hồ sơ khoảng 2,9 MB: gửi qua 2G mất khoảng 4 phút 4 giây, qua 3G khoảng 25 giây/);
    await waitFor(() => expect(screen.queryByTestId('processing')).toBeNull());
  });

  it('takes photos dropped on a paper', async () => {
    const backend = await editor();
    const zone = screen.getByTestId('component');
    await fireEvent.dragOver(zone, { dataTransfer: { files: [], dropEffect: 'none' } });
    expect(zone.classList.contains('over')).toBe(true);
    await fireEvent.drop(zone, { dataTransfer: { files: [photo('keo-tha.jpg'), new File(['x'], 'ghi-chu.txt', { type: 'text/plain' })] } });
    await waitFor(() => expect(screen.getAllByTestId('page').map((p) => p.dataset.state)).toEqual(['done']));
    expect(backend.calls.filter((c) => c.cmd === 'addPage').map((c) => (c.args as { name: string }).name)).toEqual(['keo-tha.jpg']);
  });

  it('reorders, removes with undo, and rotates a page', async () => {
    const backend = await editor();
    await pick([photo('a.jpg'), photo('b.jpg')]);
    await waitFor(() => expect(screen.getAllByTestId('page').map((p) => p.dataset.state)).toEqual(['done', 'done']));
    expect(pageIds()).toEqual([1, 2]);
    await fireEvent.click(screen.getByRole('button', { name: 'Chuyển trang 2 lên trước' }));
    await waitFor(() => expect(pageIds()).toEqual([2, 1]));
    await fireEvent.click(screen.getByRole('button', { name: 'Xóa trang 1' }));
    await waitFor(() => expect(pageIds()).toEqual([1]));
    expect(toast.current?.text).toBe('Đã xóa một trang.');
    await toast.current?.action?.run();
    await waitFor(() => expect(pageIds()).toEqual([2, 1]));
    await fireEvent.click(screen.getByRole('button', { name: 'Xoay trang 1 sang phải' }));
    await waitFor(() => {
      const last = backend.calls.filter((c) => c.cmd === 'scanPage').at(-1)?.args as { pageId: number; edit: PageEdit };
      expect(last.pageId).toBe(2);
      expect(last.edit.turn).toBe(1);
      expect(last.edit.corners).toEqual([[100, 120], [2900, 110], [2950, 3900], [90, 3950]]);
    });
  });

  it('adjusts corners by keyboard, undoes, crops to the whole photo and applies', async () => {
    const backend = await editor();
    await pick([photo('a.jpg')]);
    await waitFor(() => expect(screen.getAllByTestId('page').map((p) => p.dataset.state)).toEqual(['done']));
    await fireEvent.click(screen.getByTestId('crop'));
    const dialog = await screen.findByRole('dialog');
    const corner = within(dialog).getByRole('button', { name: 'Góc trên bên trái' });
    expect(corner.getAttribute('cx')).toBe('100');
    await fireEvent.keyDown(corner, { key: 'ArrowRight' });
    expect(corner.getAttribute('cx')).toBe('120');
    await fireEvent.keyDown(corner, { key: 'ArrowDown', shiftKey: true });
    expect(corner.getAttribute('cy')).toBe('220');
    await fireEvent.click(within(dialog).getByTestId('crop-undo'));
    expect(corner.getAttribute('cy')).toBe('120');
    await fireEvent.click(within(dialog).getByTestId('crop-whole'));
    expect(corner.getAttribute('cx')).toBe('0');
    await fireEvent.click(within(dialog).getByLabelText('Xám'));
    await fireEvent.click(within(dialog).getByTestId('crop-apply'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const last = backend.calls.filter((c) => c.cmd === 'scanPage').at(-1)?.args as { edit: PageEdit };
    expect(last.edit).toEqual({ mode: 'gray', corners: [[0, 0], [3000, 0], [3000, 4000], [0, 4000]], turn: 0 });
    expect(screen.getByText('A4 · Xám')).toBeTruthy();
  });

  it('makes photos left half-way when the dossier opens again', async () => {
    const backend = new FakeBackend();
    const d = backend.makeDossier('d1');
    backend.dossiers.set('d1', d);
    await backend.addPage('d1', 'to_khai', photo('con-lai.jpg'));
    render(DossierEditor, { backend, id: 'd1', onBack: () => {}, onOpen: () => {} });
    await waitFor(() => expect(screen.getAllByTestId('page').map((p) => p.dataset.state)).toEqual(['done']));
    expect(backend.calls.some((c) => c.cmd === 'scanPage')).toBe(true);
  });

  it('receives photos from a phone through the QR dialog, cuts a phone off and closes the bridge', async () => {
    const backend = await editor();
    await fireEvent.click(screen.getByTestId('from-phone'));
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByTestId('phone-qr');
    expect(within(dialog).getByRole('img', { name: 'Mã QR để mở trang gửi ảnh trên điện thoại' }).innerHTML).toContain('<svg');
    expect(within(dialog).getByTestId('phone-url').textContent).toMatch(/^http:\/\/192\.168\.1\.23:41234\/p\//);
    expect(backend.calls.find((c) => c.cmd === 'bridgeOpen')?.args).toEqual({ id: 'd1', component: 'to_khai', address: null });
    expect(within(dialog).getByText('Mã còn dùng được 15 phút 0 giây.')).toBeTruthy();
    // A phone connects and sends a photo (as the bridge would: into the dossier, then counted).
    await backend.addPage('d1', 'to_khai', photo('IMG_0001.jpg'));
    backend.bridge = {
      ...backend.bridge!,
      received: 1,
      phones: [{ id: 1, label: 'Android · SM-A515F', address: '192.168.1.40', files: 1, bytes: 7, uploading: 0, idleS: 0, cutOff: false }],
    };
    await waitFor(() => expect(screen.getAllByTestId('page').map((p) => p.dataset.state)).toEqual(['done']), { timeout: 3000 });
    expect(within(dialog).getByTestId('phone-received').textContent).toContain('Đã nhận 1 ảnh vào “Tờ khai”.');
    expect(within(dialog).getByText(/Android · SM-A515F · 192\.168\.1\.40 · 1 ảnh/)).toBeTruthy();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Ngắt kết nối Android · SM-A515F' }));
    await within(dialog).findByText('Đã ngắt kết nối');
    expect(backend.calls.find((c) => c.cmd === 'bridgeCutOff')?.args).toBe(1);
    // Another network gives another code.
    await fireEvent.change(within(dialog).getByRole('combobox'), { target: { value: '10.0.0.5' } });
    await waitFor(() => expect(within(dialog).getByTestId('phone-url').textContent).toMatch(/^http:\/\/10\.0\.0\.5:/));
    await fireEvent.click(within(dialog).getByTestId('phone-done'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.calls.some((c) => c.cmd === 'bridgeClose')).toBe(true);
    expect(backend.bridge).toBeNull();
  });

  it('puts photos from watched folders into a paper, and sets one aside with undo', async () => {
    const backend = await editor();
    expect(screen.queryByTestId('from-inbox')).toBeNull();
    const item = (id: number, name: string) => ({ id, name, sourcePath: `/home/an/Zalo/${name}`, byteSize: 2_400_000, foundAt: 0, sha256: String(id) });
    backend.arrive(item(1, 'zalo_1.jpg'));
    backend.arrive(item(2, 'zalo_2.jpg'));
    const open = await screen.findByTestId('from-inbox');
    expect(open.textContent).toBe('Ảnh mới (2)');
    await fireEvent.click(open);
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getAllByTestId('inbox-item')).toHaveLength(2));
    expect(within(dialog).getByText('Từ /home/an/Zalo/zalo_1.jpg')).toBeTruthy();
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Chọn ảnh zalo_1.jpg' }));
    expect(within(dialog).getByTestId('inbox-add').textContent).toBe('Thêm 1 ảnh vào hồ sơ');
    await fireEvent.click(within(dialog).getByTestId('inbox-add'));
    await waitFor(() => expect(screen.getAllByTestId('page').map((p) => p.dataset.state)).toEqual(['done']));
    expect(backend.calls.find((c) => c.cmd === 'inboxAssign')?.args).toEqual({ id: 1, dossier: 'd1', component: 'to_khai' });
    await waitFor(() => expect(within(dialog).getAllByTestId('inbox-item')).toHaveLength(1));
    // Set the other one aside, then undo.
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Chọn ảnh zalo_2.jpg' }));
    await fireEvent.click(within(dialog).getByTestId('inbox-dismiss'));
    await within(dialog).findByText('Không còn ảnh mới nào.');
    expect(toast.current?.text).toBe('Đã bỏ qua 1 ảnh.');
    await toast.current?.action?.run();
    await waitFor(() => expect(within(dialog).getAllByTestId('inbox-item')).toHaveLength(1));
    expect((await backend.inbox(10, 0)).total).toBe(1);
  });

  it('fills the applicant from a card photo, ticking only empty fields, with undo', async () => {
    const backend = await editor();
    await fireEvent.input(screen.getByLabelText(/Họ, chữ đệm và tên/), { target: { value: 'Tên gõ tay' } });
    backend.card = {
      card: { idNumber: '001190012345', oldId: null, fullName: 'Nguyễn Thị Hoa', dateOfBirth: '05/09/1990', sex: 'Nữ', address: 'Tả Van, Lào Cai', addressNew: null, issueDate: '12/03/2021', mismatch: null },
      changes: [
        { key: 'applicant.full_name', label: 'Họ, chữ đệm và tên', current: 'Tên gõ tay', proposed: 'Nguyễn Thị Hoa', options: [] },
        { key: 'applicant.cccd', label: 'Số định danh cá nhân (số CCCD)', current: '', proposed: '001190012345', options: [] },
        { key: 'applicant.dob', label: 'Ngày sinh', current: '', proposed: '05/09/1990', options: [] },
      ],
    };
    await fireEvent.click(screen.getByTestId('scan-card'));
    const dialog = await screen.findByRole('dialog');
    const input = within(dialog).getByTestId('card-file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [photo('cccd.jpg')], configurable: true });
    await fireEvent.change(input);
    expect((await within(dialog).findByTestId('card-read')).textContent).toBe('Đã đọc thẻ của Nguyễn Thị Hoa, số 001190012345.');
    const boxes = within(dialog).getAllByTestId('card-change').map((l) => (l.querySelector('input') as HTMLInputElement).checked);
    expect(boxes).toEqual([false, true, true]);
    expect(within(dialog).getByText('Đang là: Tên gõ tay')).toBeTruthy();
    await fireEvent.click(within(dialog).getByTestId('card-apply'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((screen.getByLabelText(/Số định danh cá nhân/) as HTMLInputElement).value).toBe('001190012345');
    expect((screen.getByLabelText(/Họ, chữ đệm và tên/) as HTMLInputElement).value).toBe('Tên gõ tay');
    expect(toast.current?.text).toBe('Đã điền 2 mục từ thẻ căn cước.');
    await toast.current?.action?.run();
    await waitFor(() => expect((screen.getByLabelText(/Số định danh cá nhân/) as HTMLInputElement).value).toBe(''));
  });
  it('reads a card sent from the phone and lets the person keep the address as printed', async () => {
    const backend = await editor();
    const printed = 'Thôn 3, xã Tả Van, huyện Sa Pa, tỉnh Lào Cai';
    const renewed = 'Thôn 3, Xã Tả Van, Tỉnh Lào Cai';
    await fireEvent.click(screen.getByTestId('scan-card'));
    await fireEvent.click(await screen.findByTestId('card-phone'));
    await screen.findByText('Chụp thẻ căn cước bằng điện thoại');
    expect(backend.calls.find((c) => c.cmd === 'bridgeOpenCard')?.args).toEqual({ id: 'd1', address: null });
    backend.cardFromPhone({
      card: { idNumber: '001190012345', oldId: null, fullName: 'Nguyễn Thị Hoa', dateOfBirth: '05/09/1990', sex: 'Nữ', address: printed, addressNew: renewed, issueDate: '12/03/2021', mismatch: null },
      changes: [
        {
          key: 'applicant.address', label: 'Nơi thường trú', current: '', proposed: renewed,
          options: [{ value: renewed, kind: 'new' }, { value: printed, kind: 'card' }],
        },
      ],
    });
    // The phone dialog closes by itself and the bridge stops once the card is read.
    const read = await screen.findByTestId('card-read', {}, { timeout: 3000 });
    expect(read.textContent).toContain('Nguyễn Thị Hoa');
    await waitFor(() => expect(screen.queryByText('Chụp thẻ căn cước bằng điện thoại')).toBeNull());
    expect(backend.calls.some((c) => c.cmd === 'bridgeClose')).toBe(true);
    const options = screen.getByTestId('card-options');
    const radios = within(options).getAllByRole('radio') as HTMLInputElement[];
    expect(radios.map((r) => r.checked)).toEqual([true, false]);
    expect(within(options).getByText('Theo đơn vị hành chính mới (từ 1/7/2025)')).toBeTruthy();
    await fireEvent.click(radios[1]!);
    await fireEvent.click(screen.getByTestId('card-apply'));
    await waitFor(() => expect((screen.getByLabelText(/Nơi thường trú/) as HTMLInputElement).value).toBe(printed));
  });

  it('picks a commune of the new units by a name typed without diacritics, with undo', async () => {
    const backend = await editor();
    const field = screen.getByLabelText(/Nơi thường trú/) as HTMLInputElement;
    await fireEvent.input(field, { target: { value: 'nhà ông Páo' } });
    await fireEvent.click(screen.getAllByTestId('address-pick')[0]!);
    const dialog = await screen.findByTestId('address-picker');
    await fireEvent.input(within(dialog).getByTestId('address-query'), { target: { value: 'ta van' } });
    const hit = await within(dialog).findByTestId('address-hit');
    expect(hit.textContent).toContain('Xã Tả Van');
    expect(hit.textContent).toContain('Tỉnh Lào Cai');
    expect(within(dialog).getByTestId('address-use')).toHaveProperty('disabled', true);
    await fireEvent.click(within(hit).getByRole('radio'));
    await fireEvent.input(within(dialog).getByTestId('address-detail'), { target: { value: 'Thôn 3' } });
    expect(within(dialog).getByTestId('address-result').textContent).toContain('Thôn 3, Xã Tả Van, Tỉnh Lào Cai');
    await fireEvent.click(within(dialog).getByTestId('address-use'));
    await waitFor(() => expect(screen.queryByTestId('address-picker')).toBeNull());
    expect(field.value).toBe('Thôn 3, Xã Tả Van, Tỉnh Lào Cai');
    expect(toast.current?.text).toBe('Đã ghi địa chỉ vào “Nơi thường trú”.');
    await toast.current?.action?.run();
    await waitFor(() => expect(field.value).toBe('nhà ông Páo'));
    expect(backend.calls.some((c) => c.cmd === 'unitSearch')).toBe(true);
  });

  it('offers an address written with the old units in its new form', async () => {
    const backend = await editor();
    const old = 'Số 12, phường Phúc Xá, quận Ba Đình, Hà Nội';
    backend.newForms.set(old, {
      address: 'Số 12, Phường Hồng Hà, Thành phố Hà Nội', detail: 'Số 12', communeCode: '00097', commune: 'Phường Hồng Hà',
      provinceCode: '01', province: 'Thành phố Hà Nội', old: 'Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội', split: [],
    });
    const field = screen.getByLabelText(/Nơi thường trú/) as HTMLInputElement;
    await fireEvent.input(field, { target: { value: old } });
    await fireEvent.click(screen.getAllByTestId('address-pick')[0]!);
    const offer = await screen.findByTestId('address-converted');
    expect(offer.textContent).toContain('Trước đây: Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội');
    expect((screen.getByTestId('address-detail') as HTMLInputElement).value).toBe('Số 12');
    await fireEvent.click(within(offer).getByTestId('address-use-new'));
    await waitFor(() => expect(field.value).toBe('Số 12, Phường Hồng Hà, Thành phố Hà Nội'));
  });
});
