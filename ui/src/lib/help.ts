// The help pages, bundled so they work without a network: short topics in plain words, each
// tied to the screens it is about, searched with or without diacritics.

import type { Locale } from './i18n/index.svelte';

/** The screens help is opened from. */
export type HelpScreen = 'home' | 'picker' | 'guided' | 'editor' | 'archive' | 'settings';

export interface HelpTopic {
  id: string;
  screens: HelpScreen[];
  text: Record<Locale, { title: string; body: string[] }>;
}

export const topics: HelpTopic[] = [
  {
    id: 'start',
    screens: ['home', 'picker'],
    text: {
      vi: {
        title: 'Bắt đầu một hồ sơ',
        body: [
          'Ở màn hình chính, bấm một thủ tục trong “Làm nhanh hồ sơ hay gặp” (ví dụ Đăng ký khai sinh), hoặc bấm “Tạo hồ sơ mới” để tìm thủ tục khác.',
          'Khi tìm, gõ không dấu cũng được: “khai sinh”, “ket hon”, “tam tru”.',
          'HoSo sẽ dẫn bạn từng bước: ai đi làm thủ tục, cần giấy gì, chụp ảnh giấy, kiểm tra, rồi nộp.',
        ],
      },
      en: {
        title: 'Starting a dossier',
        body: [
          'On the home screen, press a common procedure (e.g. birth registration), or “Tạo hồ sơ mới” to find another.',
          'Searching works without diacritics: “khai sinh”, “ket hon”.',
          'HoSo then guides you step by step: who applies, which papers, their photos, check, send.',
        ],
      },
    },
  },
  {
    id: 'saved',
    screens: ['home', 'guided', 'editor'],
    text: {
      vi: {
        title: 'Hồ sơ có bị mất không?',
        body: [
          'Không. Mọi thứ bạn gõ và mọi ảnh bạn thêm được lưu ngay trên máy này, kể cả khi mất điện hay tắt máy đột ngột.',
          'Bấm “Lưu và làm tiếp sau” để nghỉ; lần sau mở hồ sơ trong danh sách, HoSo đưa bạn về đúng bước đang làm.',
          'Xóa nhầm hồ sơ thì vào thẻ “Thùng rác” để khôi phục.',
        ],
      },
      en: {
        title: 'Can I lose my dossier?',
        body: [
          'No. Everything typed and every photo added is saved on this computer at once, even through a power cut.',
          'Press “Lưu và làm tiếp sau” to stop; next time, open it from the list and HoSo takes you back to the same step.',
          'A dossier deleted by mistake can be restored from the trash.',
        ],
      },
    },
  },
  {
    id: 'card',
    screens: ['guided', 'editor'],
    text: {
      vi: {
        title: 'Chụp thẻ căn cước để tự điền',
        body: [
          'Bấm “Chụp thẻ căn cước bằng điện thoại”. Điện thoại và máy tính cần dùng chung một mạng Wi-Fi (hoặc máy tính bắt Wi-Fi phát từ điện thoại).',
          'Mở camera điện thoại, hướng vào mã QR trên màn hình máy tính rồi chạm vào đường dẫn hiện ra. Chụp mặt trước của thẻ, có mã QR ở góc.',
          'HoSo đọc mã QR trên thẻ và điền họ tên, số định danh, ngày sinh, giới tính, nơi thường trú. Ảnh thẻ không được lưu.',
          'Không có điện thoại? Bấm “Chọn ảnh thẻ có sẵn” nếu máy tính đã có ảnh thẻ, hoặc gõ tay.',
        ],
      },
      en: {
        title: 'Photograph the ID card to fill in',
        body: [
          'Press “Chụp thẻ căn cước bằng điện thoại”. The phone and the computer must share a Wi-Fi network.',
          'Point the phone’s camera at the QR code on the screen and open the link. Photograph the card’s front, with its QR code.',
          'HoSo reads the card’s code and fills in the name, ID number, date of birth, sex and address. The photo is not kept.',
          'No phone? Choose a photo of the card that is on the computer, or type the details.',
        ],
      },
    },
  },
  {
    id: 'photos',
    screens: ['guided', 'editor'],
    text: {
      vi: {
        title: 'Chụp giấy tờ cho rõ',
        body: [
          'Đặt giấy lên nền tối (bàn gỗ, tấm vải), chỗ đủ sáng, tắt đèn flash. Giữ máy thẳng phía trên tờ giấy, thấy đủ bốn góc.',
          'HoSo tự cắt mép, làm phẳng, làm trắng nền và thu nhỏ ảnh để gửi nhanh qua 2G/3G.',
          'Nếu ảnh mờ, tối, lóa, mất góc, quá nhỏ, hoặc có vẻ là giấy khác, HoSo báo ngay dưới ảnh kèm cách chụp lại. Bạn vẫn có thể bấm “Vẫn giữ ảnh này”.',
          'Có thể chỉnh góc tờ giấy bằng “Chỉnh góc”, xoay, đổi thứ tự hoặc xóa trang (có “Hoàn tác”).',
        ],
      },
      en: {
        title: 'Photographing papers clearly',
        body: [
          'Lay the paper on a dark surface, in good light, flash off. Hold the phone straight above it, all four corners in view.',
          'HoSo crops, flattens, whitens and shrinks the photo so it goes fast over 2G/3G.',
          'A blurred, dark, glared, cut-off or too-small photo, or what looks like another paper, gets a warning with how to retake it. You may keep it anyway.',
          'Adjust the corners, rotate, reorder or remove pages (with undo).',
        ],
      },
    },
  },
  {
    id: 'phone',
    screens: ['guided', 'editor'],
    text: {
      vi: {
        title: 'Gửi ảnh từ điện thoại sang máy tính',
        body: [
          'Quét mã QR HoSo hiện trên màn hình bằng camera điện thoại. Trang mở ra trên điện thoại có nút chụp ảnh và chọn ảnh.',
          'Mỗi ảnh gửi đi vào đúng giấy HoSo đang nhắc (“Ảnh tiếp theo sẽ vào: …”). Muốn đưa vào giấy khác, chọn ở ô “Ảnh từ điện thoại đưa vào giấy nào?”.',
          'Giữ trang mở trên điện thoại để gửi tiếp các giấy sau. Mã tự hết hạn sau 15 phút; bấm “Tạo mã mới” nếu cần.',
          'Chỉ điện thoại quét được mã mới gửi được ảnh; bấm “Ngắt điện thoại” khi xong.',
        ],
      },
      en: {
        title: 'Sending photos from the phone',
        body: [
          'Scan the QR code on the screen with the phone’s camera; the page it opens can take and choose photos.',
          'Each photo goes to the paper HoSo shows (“next photo goes to …”); choose another paper in the list if needed.',
          'Keep the page open on the phone to send the next papers. The code expires after 15 minutes; make a new one if needed.',
          'Only a phone that scanned the code can send; disconnect it when done.',
        ],
      },
    },
  },
  {
    id: 'papers',
    screens: ['guided', 'editor'],
    text: {
      vi: {
        title: 'Giấy này là gì, lấy ở đâu?',
        body: [
          'Ở bước “Cần chuẩn bị những giấy gì?” và dưới tên mỗi giấy có hình vẽ minh họa, lời giải thích và nơi cấp giấy (ví dụ giấy chứng sinh do bệnh viện hoặc trạm y tế nơi sinh cấp).',
          'Giấy “không bắt buộc” chỉ cần khi đúng trường hợp của bạn, ví dụ văn bản ủy quyền khi nhờ người khác nộp thay.',
          'Ảnh giấy chứng sinh được HoSo đọc để tự điền thông tin của trẻ; hãy kiểm tra lại ở bước “Kiểm tra lại”.',
        ],
      },
      en: {
        title: 'What is this paper, where do I get it?',
        body: [
          'The “which papers” step and each paper show a drawing, what it is and who issues it (e.g. the hospital for a birth certificate).',
          'An optional paper is needed only in its case, e.g. a proxy letter when someone else applies for you.',
          'HoSo reads the birth certificate’s photo to fill in the child’s details; check them at the check step.',
        ],
      },
    },
  },
  {
    id: 'send',
    screens: ['guided', 'editor', 'home'],
    text: {
      vi: {
        title: 'Nộp khi không có mạng',
        body: [
          'Bấm “Nộp hồ sơ” dù chưa có mạng. HoSo giữ hồ sơ và tự gửi lên cổng dịch vụ công ngay khi có mạng, gửi tiếp từ chỗ dừng nếu mạng chập chờn, và không bao giờ gửi hai lần.',
          'Trong danh sách, mỗi hồ sơ ghi trạng thái: Chờ gửi, Đang gửi, Đã tiếp nhận (kèm mã biên nhận), Đang xử lý, Có kết quả.',
          'Hồ sơ chưa đến cổng thì vẫn “Sửa lại hồ sơ” được.',
        ],
      },
      en: {
        title: 'Sending without a network',
        body: [
          'Press “Nộp hồ sơ” even offline. HoSo keeps the dossier and sends it as soon as there is a network, resuming where it stopped, never twice.',
          'The list shows each dossier’s state: waiting, sending, received (with the receipt code), processing, result ready.',
          'A dossier that has not reached the portal can still be taken back to edit.',
        ],
      },
    },
  },
  {
    id: 'fee',
    screens: ['editor', 'guided'],
    text: {
      vi: {
        title: 'Lệ phí và thanh toán',
        body: [
          'HoSo tính lệ phí theo thủ tục (nhiều thủ tục được miễn nếu làm đúng hạn) và ghi rõ cách tính.',
          'Khi cơ quan yêu cầu thanh toán, HoSo hiện mã VietQR: mở ứng dụng ngân hàng, quét mã, kiểm tra số tiền và nội dung rồi chuyển.',
        ],
      },
      en: {
        title: 'Fees and paying',
        body: [
          'HoSo works out the fee for the procedure (many are free when on time) and shows how.',
          'When the office asks for payment, HoSo shows a VietQR code to scan with a banking app.',
        ],
      },
    },
  },
  {
    id: 'archive',
    screens: ['archive'],
    text: {
      vi: {
        title: 'Số hóa hồ sơ lưu trữ',
        body: [
          'Chọn thư mục ảnh quét (máy quét hoặc điện thoại). HoSo làm sạch từng trang, tách hồ sơ theo tờ phân cách có mã QR (in ở “Lưu tờ phân cách để in”) hoặc theo trang trắng.',
          'Bật đọc chữ để tìm được theo nội dung; gõ tên không dấu vẫn tìm thấy. Có thể dừng đọc và đọc tiếp sau.',
          'Tách, gộp hồ sơ bằng tay đều có “Hoàn tác”. Xuất ra thư mục có tên dễ đọc và bảng kê CSV/JSON.',
        ],
      },
      en: {
        title: 'Digitising the archive',
        body: [
          'Pick a folder of scans. HoSo cleans each page and splits records at HoSo’s QR separator sheets or at blank pages.',
          'Turn on text reading to search by content, with or without diacritics; reading can stop and resume.',
          'Split and merge by hand with undo; export to a folder with readable names and a CSV/JSON index.',
        ],
      },
    },
  },
  {
    id: 'settings',
    screens: ['settings'],
    text: {
      vi: {
        title: 'Cài đặt cho cán bộ xã',
        body: [
          'Điền địa chỉ cổng dịch vụ công và mã truy cập (mã được giữ trong kho khóa của máy, không lưu trong dữ liệu).',
          'Điền thông tin bộ phận một cửa của xã: người dân sẽ thấy trong thẻ “Gọi hỗ trợ” ở trang trợ giúp.',
          'Thư mục theo dõi: ảnh mới chép vào thư mục (từ máy quét, điện thoại) hiện trong “Ảnh mới”.',
        ],
      },
      en: {
        title: 'Settings for commune officials',
        body: [
          'Enter the portal’s address and access token (the token is kept in the system keyring).',
          'Enter the commune’s one-stop desk: people see it on the help page’s “Gọi hỗ trợ” card.',
          'Watched folders: new photos copied there show up in “Ảnh mới”.',
        ],
      },
    },
  },
  {
    id: 'errors',
    screens: ['home', 'picker', 'guided', 'editor', 'archive', 'settings'],
    text: {
      vi: {
        title: 'Khi gặp lỗi',
        body: [
          'Mỗi thông báo lỗi nói rõ cần làm gì. Những gì đã lưu không bị mất.',
          'Nếu vẫn không được, hãy gọi bộ phận một cửa của xã (thẻ “Gọi hỗ trợ” ở trên), và nếu được hỏi, vào Cài đặt bấm “Xuất thông tin hỗ trợ”: tệp này không chứa họ tên, số định danh hay giấy tờ của bạn.',
        ],
      },
      en: {
        title: 'When something goes wrong',
        body: [
          'Every error message says what to do. Nothing saved is lost.',
          'If it still fails, call the commune’s one-stop desk (the card above); if asked, export the support information in Settings: it holds no names, ID numbers or documents.',
        ],
      },
    },
  },
];

/** Text folded for search: no diacritics, đ→d, lower case. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase();
}

/** Topics for `screen` first, then the others; only those with every word of `query`. */
export function findTopics(query: string, screen: HelpScreen | null, locale: Locale): HelpTopic[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const hit = (tp: HelpTopic) => {
    const text = fold([tp.text[locale].title, ...tp.text[locale].body].join(' '));
    return words.every((w) => text.includes(w));
  };
  const found = topics.filter(hit);
  const here = (tp: HelpTopic) => (screen !== null && tp.screens.includes(screen) ? 0 : 1);
  return [...found].sort((a, b) => here(a) - here(b));
}
