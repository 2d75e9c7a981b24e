//! The archive on real inputs: the scan crate's fixture photos, a separator sheet printed by
//! HoSo and rasterised by poppler (as a scanner would see it), generated blank sheets, and
//! Tesseract with Debian's Vietnamese data (installed by `scripts/setup.sh`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use hoso_archive::{Archive, Grouping, IntakeOptions, RecordMeta};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hoso-scan/tests/fixtures").join(name)
}

/// HoSo's separator sheet for `kind`, printed and scanned at 150 dpi in grey.
fn scanned_separator(dir: &Path, kind: &str) -> PathBuf {
    let pdf = dir.join("tach.pdf");
    let sheet =
        hoso_pdf::separator_sheet(&hoso_archive::separator_payload(kind), kind).expect("pdf");
    std::fs::write(&pdf, sheet).expect("write");
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(dir.join("tach"))
        .status()
        .expect("pdftoppm (poppler-utils, installed by scripts/setup.sh)");
    assert!(status.success());
    dir.join("tach.png")
}

/// A blank sheet as a scanner returns it: off-white paper with grain and a faint shadow band.
fn blank_sheet(path: &Path, seed: u32) {
    let (w, h) = (1240u32, 1754u32);
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::GrayImage::from_fn(w, h, |_, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state % 9) as u8;
        let band = if y < 60 { 14 } else { 0 };
        image::Luma([244 - grain - band])
    });
    img.save(path).expect("save blank");
}

fn copy(from: &Path, dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(from, &to).expect("copy");
    to
}

fn names(a: &Archive, id: i64) -> Vec<String> {
    a.record(id).expect("record").pages.iter().map(|p| p.source_name.clone()).collect()
}

#[test]
fn separator_sheets_cut_a_batch_into_records_and_a_file_is_taken_in_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sep = scanned_separator(tmp.path(), "Sổ đăng ký khai sinh");
    let files = vec![
        copy(&fixture("p003_normal.jpg"), tmp.path(), "01.jpg"),
        copy(&sep, tmp.path(), "02.png"),
        copy(&fixture("p021_normal.jpg"), tmp.path(), "03.jpg"),
        copy(&fixture("p030_noexif.jpg"), tmp.path(), "04.jpg"),
    ];
    let a = Archive::open(&tmp.path().join("archive")).expect("open");
    let mut calls = 0;
    let r = a
        .digitise(
            &files,
            &IntakeOptions { threads: 2, ..Default::default() },
            &mut |done, total| {
                calls += 1;
                assert!(done <= total && total == 4);
            },
        )
        .expect("digitise");
    assert_eq!(calls, 4, "progress after each file");
    assert_eq!((r.files, r.pages, r.separators, r.blanks, r.duplicates), (4, 3, 1, 0, 0));
    assert_eq!(r.records.len(), 2);
    assert_eq!(names(&a, r.records[0]), ["01.jpg"]);
    assert_eq!(names(&a, r.records[1]), ["03.jpg", "04.jpg"]);
    assert_eq!(a.record(r.records[0]).expect("r").meta.kind, "");
    assert_eq!(a.record(r.records[1]).expect("r").meta.kind, "Sổ đăng ký khai sinh");
    // Pages are cleaned A4 pages at 200 dpi, with a thumbnail.
    let page = &a.record(r.records[1]).expect("r").pages[0];
    assert_eq!((page.width, page.height, page.dpi), (1654, 2339, 200));
    assert!(!a.page_thumbnail(page.id).expect("thumb").is_empty());

    // The same folder again: nothing new.
    let again = a.digitise(&files, &IntakeOptions::default(), &mut |_, _| {}).expect("again");
    assert_eq!((again.duplicates, again.pages, again.records.len()), (3, 0, 0));
    assert_eq!(a.records().expect("records").len(), 2);
}

#[test]
fn without_separator_sheets_blank_pages_cut_the_batch_and_are_not_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let blank = |n: &str, seed| {
        let p = tmp.path().join(n);
        blank_sheet(&p, seed);
        p
    };
    let files = vec![
        copy(&fixture("p003_normal.jpg"), tmp.path(), "01.jpg"),
        blank("02.png", 1),
        copy(&fixture("p021_normal.jpg"), tmp.path(), "03.jpg"),
        blank("04.png", 2),
        blank("05.png", 3),
        copy(&fixture("p030_noexif.jpg"), tmp.path(), "06.jpg"),
    ];
    let a = Archive::open(&tmp.path().join("archive")).expect("open");
    let r = a.digitise(&files, &IntakeOptions::default(), &mut |_, _| {}).expect("digitise");
    assert_eq!((r.pages, r.blanks, r.separators), (3, 3, 0));
    let groups: Vec<Vec<String>> = r.records.iter().map(|&id| names(&a, id)).collect();
    assert_eq!(groups, [vec!["01.jpg"], vec!["03.jpg"], vec!["06.jpg"]]);

    // Grouping "one": the same pages in one record.
    let b = Archive::open(&tmp.path().join("archive-b")).expect("open");
    let opts = IntakeOptions { grouping: Grouping::One, ..Default::default() };
    let r = b.digitise(&files, &opts, &mut |_, _| {}).expect("digitise");
    assert_eq!(r.records.len(), 1);
    assert_eq!(names(&b, r.records[0]), ["01.jpg", "03.jpg", "06.jpg"]);
}

#[test]
fn unreadable_files_are_reported_with_the_reason_and_the_rest_is_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bad = tmp.path().join("02.jpg");
    std::fs::write(&bad, b"\xff\xd8\xff\xe0 not really").expect("write");
    let files = vec![copy(&fixture("p003_normal.jpg"), tmp.path(), "01.jpg"), bad];
    let a = Archive::open(&tmp.path().join("archive")).expect("open");
    let r = a.digitise(&files, &IntakeOptions::default(), &mut |_, _| {}).expect("digitise");
    assert_eq!(r.pages, 1);
    assert_eq!(r.failed.len(), 1);
    assert_eq!(r.failed[0].0, "02.jpg");
    assert!(r.failed[0].1.contains("Ảnh bị hỏng"), "{}", r.failed[0].1);
}

/// The words of `pdftotext -raw` (the text in the order the PDF draws it) that hold a letter or
/// a digit (a lone symbol the embedded font has no glyph for comes back empty).
fn pdf_words(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("r.pdf");
    std::fs::write(&file, pdf).expect("write");
    let out =
        Command::new("pdftotext").arg("-raw").arg(&file).arg("-").output().expect("pdftotext");
    assert!(out.status.success());
    words(&String::from_utf8_lossy(&out.stdout))
}

/// The words of a text that have a letter or digit, without punctuation at their ends. A lone
/// spacing accent read from a stamp (say "ˆ", U+02C6) is not one: Poppler's text extraction
/// does not give such an accent back from a PDF as a word of its own. Nor does it always give
/// back a lone hyphen: when OCR boxes it overlapping the word before, Poppler's extraction
/// attaches it to the word after ("lập - Tự" comes back as "lập" and "-Tự").
fn words(text: &str) -> Vec<String> {
    let spacing_accent = |c: char| ('\u{2B0}'..='\u{2FF}').contains(&c);
    text.split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_alphanumeric() && !spacing_accent(c)))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .collect()
}

#[test]
fn pages_are_read_in_vietnamese_searchable_without_diacritics_and_their_pdf_holds_the_text() {
    assert!(
        hoso_archive::tesseract_available(),
        "tesseract with Vietnamese data is missing: run scripts/setup.sh"
    );
    let tmp = tempfile::tempdir().expect("tmp");
    let files = vec![
        copy(&fixture("p003_normal.jpg"), tmp.path(), "01.jpg"),
        copy(&fixture("p021_normal.jpg"), tmp.path(), "02.jpg"),
    ];
    let a = Archive::open(&tmp.path().join("archive")).expect("open");
    let opts = IntakeOptions { grouping: Grouping::One, ocr: true, ..Default::default() };
    let r = a.digitise(&files, &opts, &mut |_, _| {}).expect("digitise");
    assert_eq!(a.ocr_waiting().expect("waiting"), 2);
    // Not read yet: not found by its text.
    assert!(a.search("hoang thi my huyen", 10).expect("search").is_empty());

    let report = a.ocr_pending(2, &AtomicBool::new(false), &mut |_, _| {}).expect("ocr");
    assert_eq!((report.read, report.failed, report.left), (2, 0, 0));
    let record = a.record(r.records[0]).expect("record");
    let text = a.page_text(record.pages[0].id).expect("text");
    for needle in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hoàng Thị Mỹ Huyền", "Kiên Giang"]
    {
        assert!(text.contains(needle), "{needle:?} not read: {text}");
    }

    // Found as typed, without diacritics, and from decomposed (NFD) input.
    let nfd: String = unicode_nfd("Hoàng Thị Mỹ Huyền");
    for q in ["Hoàng Thị Mỹ Huyền", "hoang thi my huyen", nfd.as_str(), "HOANG THI MY"] {
        let hits = a.search(q, 10).expect("search");
        assert!(hits.iter().any(|h| h.page_id == record.pages[0].id), "{q:?} found nothing");
        let h = &hits[0];
        let chars: Vec<char> = h.snippet.chars().collect();
        let marked: String = chars[h.marks[0][0]..h.marks[0][1]].iter().collect();
        assert_eq!(fold_str(&marked), fold_str(q).split(' ').next().expect("word"), "{h:?}");
    }
    assert!(a.search("khong co chu nay", 10).expect("search").is_empty());

    // Details found at once, by the people named, folded: đ → d.
    let meta = RecordMeta {
        kind: "Giấy chứng nhận bồi dưỡng".into(),
        people: "Nguyễn Văn Đức".into(),
        ..Default::default()
    };
    a.set_meta(record.id, &meta).expect("meta");
    let hits = a.search("nguyen van duc", 10).expect("search");
    assert_eq!(hits.len(), 2, "both pages of the record");
    assert!(hits[0].title.contains("Nguyễn Văn Đức"));
    // The text still finds the page after the details changed.
    assert!(!a.search("hoang thi my huyen", 10).expect("search").is_empty());

    // The record's PDF gives the read text back, word for word, in order.
    let pdf = a.record_pdf(record.id).expect("pdf");
    let read: Vec<String> = [0, 1]
        .iter()
        .flat_map(|&i| words(&a.page_text(record.pages[i].id).expect("text")))
        .collect();
    assert!(read.len() > 200, "{} words", read.len());
    assert_eq!(pdf_words(&pdf), read);

    // Export: the PDF under its kind, and the index names the people with their diacritics.
    let out = tmp.path().join("xuat");
    let ex = a.export(&out).expect("export");
    assert_eq!((ex.records, ex.pages), (1, 2));
    let name = format!("giay-chung-nhan-boi-duong/{:06}-nguyen-van-duc.pdf", record.id);
    assert_eq!(ex.files[0], name);
    assert_eq!(std::fs::read(out.join(&name)).expect("pdf"), pdf);
    let csv = std::fs::read_to_string(out.join("index.csv")).expect("csv");
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("Nguyễn Văn Đức") && csv.contains(&name), "{csv}");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).expect("json"))
            .expect("parse");
    assert_eq!(index[0]["people"], "Nguyễn Văn Đức");
    assert_eq!(index[0]["pages"].as_array().expect("pages").len(), 2);
}

#[test]
fn an_export_imports_into_another_archive_once_with_its_text_and_details() {
    let tmp = tempfile::tempdir().expect("tmp");
    let files = vec![
        copy(&fixture("p003_normal.jpg"), tmp.path(), "01.jpg"),
        copy(&fixture("p028_idcard.jpg"), tmp.path(), "02.jpg"),
    ];
    let a = Archive::open(&tmp.path().join("a")).expect("open");
    let r = a
        .digitise(
            &files,
            &IntakeOptions { grouping: Grouping::One, ..Default::default() },
            &mut |_, _| {},
        )
        .expect("digitise");
    let id = r.records[0];
    // Text as if read (the import must carry it, not read again).
    {
        let record = a.record(id).expect("record");
        let meta = RecordMeta {
            kind: "Hồ sơ đất đai".into(),
            people: "Vàng A Sử".into(),
            ..Default::default()
        };
        a.set_meta(id, &meta).expect("meta");
        assert_eq!(record.pages.len(), 2);
    }
    let out = tmp.path().join("xuat");
    a.export(&out).expect("export");

    let b = Archive::open(&tmp.path().join("b")).expect("open b");
    let report = b.import(&out).expect("import");
    assert_eq!((report.records, report.pages, report.duplicates), (1, 2, 0), "{report:?}");
    let got = &b.records().expect("records")[0];
    assert_eq!((got.meta.kind.as_str(), got.meta.people.as_str()), ("Hồ sơ đất đai", "Vàng A Sử"));
    let want = a.record(id).expect("record");
    for (p, q) in got.pages.iter().zip(&want.pages) {
        assert_eq!(
            (p.width, p.height, p.dpi, &p.encoding, &p.source_sha256),
            (q.width, q.height, q.dpi, &q.encoding, &q.source_sha256)
        );
        // The same image bytes: the PDF of the imported record is the same file.
        assert!(!b.page_thumbnail(p.id).expect("thumb").is_empty());
    }
    assert!(
        b.record_pdf(got.id).expect("pdf") == a.record_pdf(id).expect("pdf"),
        "the pages changed on the way"
    );
    assert!(!b.search("vang a su", 10).expect("search").is_empty());

    // Again: nothing new. Into the first archive: nothing new either.
    let again = b.import(&out).expect("again");
    assert_eq!((again.records, again.duplicates), (0, 1));
    assert_eq!(a.import(&out).expect("self").records, 0);

    // A PDF changed after the export is refused with the reason; the rest goes on.
    let c = Archive::open(&tmp.path().join("c")).expect("open c");
    let pdf = out.join(&a.export(&out).expect("export").files[0]);
    let mut bytes = std::fs::read(&pdf).expect("read");
    let last = bytes.len() - 10;
    bytes[last] ^= 1;
    std::fs::write(&pdf, bytes).expect("write");
    let bad = c.import(&out).expect("import");
    assert_eq!(bad.records, 0);
    assert!(bad.failed[0].1.contains("khác với mục lục"), "{bad:?}");
}

#[test]
fn an_index_cannot_point_outside_its_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("xuat");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(tmp.path().join("secret.pdf"), b"%PDF-1.7").expect("write");
    let index = serde_json::json!([{ "file": "../secret.pdf", "sha256": "x", "pages": [] },
                                   { "file": "/etc/passwd", "sha256": "x", "pages": [] }]);
    std::fs::write(out.join("index.json"), index.to_string()).expect("write");
    let a = Archive::open(&tmp.path().join("a")).expect("open");
    let r = a.import(&out).expect("import");
    assert_eq!(r.records, 0);
    assert_eq!(r.failed.len(), 2);
    assert!(r.failed.iter().all(|f| f.1.contains("ra ngoài thư mục")), "{r:?}");
}

#[test]
fn a_record_split_by_hand_is_two_records_and_merging_undoes_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let files = vec![
        copy(&fixture("p003_normal.jpg"), tmp.path(), "01.jpg"),
        copy(&fixture("p021_normal.jpg"), tmp.path(), "02.jpg"),
        copy(&fixture("p030_noexif.jpg"), tmp.path(), "03.jpg"),
    ];
    let a = Archive::open(&tmp.path().join("a")).expect("open");
    let opts = IntakeOptions { grouping: Grouping::One, ..Default::default() };
    let id = a.digitise(&files, &opts, &mut |_, _| {}).expect("digitise").records[0];
    a.set_meta(id, &RecordMeta { kind: "Sổ hộ tịch".into(), ..Default::default() }).expect("meta");

    assert!(a.split(id, 1).is_err(), "nothing before page 1");
    assert!(a.split(id, 4).is_err(), "no page 4");
    let new = a.split(id, 2).expect("split");
    assert_eq!(names(&a, id), ["01.jpg"]);
    assert_eq!(names(&a, new), ["02.jpg", "03.jpg"]);
    let moved = a.record(new).expect("record");
    assert_eq!(moved.pages.iter().map(|p| p.position).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(moved.meta.kind, "Sổ hộ tịch");

    // Details of the new record find only its pages.
    a.set_meta(new, &RecordMeta { kind: "Hồ sơ đất đai".into(), ..Default::default() })
        .expect("meta");
    assert_eq!(a.search("ho so dat dai", 10).expect("search").len(), 2);

    // Undo: merged back, in order, under the first record's details.
    a.merge(id, new).expect("merge");
    assert_eq!(names(&a, id), ["01.jpg", "02.jpg", "03.jpg"]);
    assert!(a.record(new).is_err());
    assert!(a.search("ho so dat dai", 10).expect("search").is_empty());
    assert_eq!(a.search("so ho tich", 10).expect("search").len(), 3);
}

fn unicode_nfd(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd().collect()
}

fn fold_str(s: &str) -> String {
    hoso_archive::fold(s)
}

#[test]
fn programs_opening_a_new_archive_at_once_all_succeed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("archive");
    let opened: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| Archive::open(&dir).map_err(|e| eprintln!("{e}")).is_ok()))
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    assert_eq!(opened, [true; 8]);
    assert!(Archive::open(&dir).expect("open").records().expect("records").is_empty());
}
