//! The real `hoso` binary, run as a script would run it.

use std::process::{Command, Output};

use serde_json::Value;

fn hoso(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hoso"))
        .env("HOSO_DATA_DIR", data)
        .args(args)
        .output()
        .expect("run hoso")
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "hoso failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn procedures_new_show_and_list_speak_json_to_scripts() {
    let dir = tempfile::tempdir().expect("tmp");
    let procs = json(&hoso(dir.path(), &["procedures", "khai", "sinh"]));
    assert_eq!(procs[0]["code"], "1.001193");
    assert_eq!(procs[0]["name"], "Đăng ký khai sinh");

    let created = json(&hoso(
        dir.path(),
        &[
            "new",
            "--procedure",
            "1.004873",
            "--field",
            "applicant.full_name=Trần Văn Bình",
            "--field",
            "applicant.phone=0212345678",
        ],
    ));
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["values"]["applicant.full_name"], "Trần Văn Bình");
    assert!(
        created["issues"]
            .as_array()
            .expect("issues")
            .iter()
            .any(|i| i["key"] == "applicant.phone" && i["code"] == "phone_prefix")
    );

    let shown = json(&hoso(dir.path(), &["show", &id]));
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["missing"], created["missing"]);

    let listed = json(&hoso(dir.path(), &["list", "--query", "tran van binh"]));
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], id.as_str());
    let none = json(&hoso(dir.path(), &["list", "-q", "khong ai"]));
    assert_eq!(none["total"], 0);

    // --data-dir wins over the environment.
    let other = tempfile::tempdir().expect("tmp2");
    let out = Command::new(env!("CARGO_BIN_EXE_hoso"))
        .env("HOSO_DATA_DIR", dir.path())
        .args(["--data-dir", other.path().to_str().expect("utf8"), "list"])
        .output()
        .expect("run");
    assert_eq!(json(&out)["total"], 0);
}

#[test]
fn errors_go_to_stderr_with_a_stable_code_and_status() {
    let dir = tempfile::tempdir().expect("tmp");
    let cases: [(&[&str], &str, i32); 3] = [
        (&["show", "no-such-id"], "not_found", 3),
        (&["new", "--procedure", "0.000"], "unknown_procedure", 4),
        (&["new", "--procedure", "1.001193", "--field", "bogus.key=1"], "unknown_field", 4),
    ];
    for (args, code, status) in cases {
        let out = hoso(dir.path(), args);
        assert_eq!(out.status.code(), Some(status), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
        let err: Value = serde_json::from_slice(&out.stderr).expect("stderr JSON");
        assert_eq!(err["code"], code, "{args:?}");
    }
    std::fs::write(dir.path().join("hoso.sqlite3"), b"garbage ".repeat(1000)).expect("write");
    let out = hoso(dir.path(), &["list"]);
    assert_eq!(out.status.code(), Some(5));
    let err: Value = serde_json::from_slice(&out.stderr).expect("stderr JSON");
    assert_eq!(err["code"], "store_corrupt");
    let bad_usage = hoso(dir.path(), &["new", "--procedure", "1.001193", "--field", "no-equals"]);
    assert_eq!(bad_usage.status.code(), Some(2));
}

/// A real portal on 127.0.0.1 (in this test process) and a token for it.
fn portal(dir: &std::path::Path) -> (String, String, std::thread::JoinHandle<()>) {
    let db = hoso_portal::Db::open(dir).expect("portal db");
    let token = hoso_portal::new_token();
    db.add_token(&hoso_portal::token_hash(&token), "cli test", 0).expect("token");
    let (tx, rx) = std::sync::mpsc::channel();
    let config = hoso_portal::Config::new(dir.to_owned());
    let handle = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            let _ = hoso_portal::serve(listener, config, std::future::pending()).await;
        });
    });
    let addr = rx.recv().expect("portal address");
    (format!("http://{addr}"), token, handle)
}

#[test]
fn attach_finalize_send_and_status_deliver_a_dossier_headlessly() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("app");
    let (url, token, _portal) = portal(&dir.path().join("portal"));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_hoso"))
            .env("HOSO_DATA_DIR", &data)
            .env("HOSO_PORTAL_TOKEN", &token)
            .env_remove("HOSO_PORTAL_URL")
            .args(args)
            .output()
            .expect("run hoso")
    };
    let created = json(&run(&[
        "new",
        "--procedure",
        "2.000884",
        "--field",
        "applicant.full_name=Nguyễn Thị Hoa",
        "--field",
        "applicant.cccd=001190012345",
        "--field",
        "applicant.dob=05/09/1990",
        "--field",
        "applicant.sex=Nữ",
        "--field",
        "applicant.address=Thôn 3, xã Tả Van, tỉnh Lào Cai",
        "--field",
        "applicant.phone=0912345678",
        "--field",
        "document.name=Hợp đồng thuê nhà",
    ]));
    let id = created["id"].as_str().expect("id").to_owned();
    let early = run(&["finalize", &id]);
    assert_eq!(early.status.code(), Some(4), "a draft with a missing document is not ready");
    let page = dir.path().join("trang-1.jpg");
    std::fs::write(&page, [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[7u8; 5000]].concat()).expect("write");
    let attached = json(&run(&["attach", &id, "van_ban", page.to_str().expect("utf8")]));
    assert_eq!(attached["missing"], 0);
    assert_eq!(attached["components"][0]["pages"][0]["mediaType"], "image/jpeg");
    let fee = json(&run(&["fee", &id]));
    assert_eq!((fee["kind"].as_str(), fee["total"].as_u64()), (Some("amount"), Some(10_000)));
    assert_eq!(fee["lines"][0]["label"], "Lệ phí chứng thực chữ ký");
    assert_eq!(run(&["pay", &id]).status.code(), Some(4), "no payment request before sending");
    let finalized = json(&run(&["finalize", &id]));
    assert_eq!(finalized["state"], "queued");

    let sent = json(&run(&["send", "--wait", "--timeout", "60", "--portal", &url]));
    assert_eq!(sent["outstanding"], 0);
    assert_eq!(sent["submitted"][0]["id"], id.as_str());
    let status = json(&run(&["status", &id]));
    assert_eq!(status["state"], "received");
    let receipt = status["receipt"].as_str().expect("receipt");
    assert!(hoso_portal::receipt::is_valid(receipt), "{receipt}");
    assert_eq!(status["sending"]["jobState"], "sent");
    // The portal asked for the fee: the VietQR payload, and its code as a PNG.
    let png = dir.path().join("vietqr.png");
    let pay = json(&run(&["pay", &id, "--qr", png.to_str().expect("utf8")]));
    assert_eq!((pay["amount"].as_u64(), pay["paid"].as_bool()), (Some(10_000), Some(false)));
    let digits: String = receipt.chars().filter(char::is_ascii_alphanumeric).collect();
    assert_eq!(pay["reference"], format!("HOSO{digits}"));
    let payload = pay["vietqr"].as_str().expect("payload");
    assert!(
        payload.starts_with("000201010212") && payload.contains("5405100005802VN"),
        "{payload}"
    );
    assert!(std::fs::read(&png).expect("png").starts_with(b"\x89PNG"));
    let pdf = dir.path().join("bien-nhan.pdf");
    let written = json(&run(&["receipt", &id, "--out", pdf.to_str().expect("utf8")]));
    assert!(written["bytes"].as_u64().expect("bytes") > 1000);
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF-"));

    // Nothing is outstanding any more, so there is nothing to wait for, portal or not.
    let idle = run(&["send", "--wait", "--timeout", "1", "--portal", "http://127.0.0.1:9"]);
    assert_eq!(idle.status.code(), Some(0));
}

#[test]
fn send_without_a_reachable_portal_keeps_the_dossier_queued_and_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("app");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_hoso"))
            .env("HOSO_DATA_DIR", &data)
            .env("HOSO_PORTAL_TOKEN", "t")
            .args(args)
            .output()
            .expect("run hoso")
    };
    let id = json(&run(&[
        "new",
        "--procedure",
        "2.000884",
        "--field",
        "applicant.full_name=Lò Văn Páo",
        "--field",
        "applicant.cccd=010090012345",
        "--field",
        "applicant.dob=01/01/1990",
        "--field",
        "applicant.sex=Nam",
        "--field",
        "applicant.address=Bản Lướt, xã Tả Van",
        "--field",
        "applicant.phone=0987654321",
        "--field",
        "document.name=Giấy ủy quyền",
    ]))["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let page = dir.path().join("p.pdf");
    std::fs::write(&page, b"%PDF-1.7 giay uy quyen").expect("write");
    json(&run(&["attach", &id, "van_ban", page.to_str().expect("utf8")]));
    json(&run(&["finalize", &id]));
    let out = run(&["send", "--wait", "--timeout", "2", "--portal", "http://127.0.0.1:9"]);
    assert_eq!(out.status.code(), Some(6));
    let err: Value = serde_json::from_slice(&out.stderr).expect("stderr JSON");
    assert_eq!(err["code"], "portal_unreachable");
    assert_eq!(json(&run(&["status", &id]))["state"], "queued");
    let no_receipt =
        run(&["receipt", &id, "--out", dir.path().join("x.pdf").to_str().expect("utf8")]);
    assert_eq!(no_receipt.status.code(), Some(4), "no receipt before the portal has it");
}

#[test]
fn scan_writes_a_pdf_corners_and_a_report_per_photo_and_one_combined_pdf() {
    let dir = tempfile::tempdir().expect("tmp");
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../hoso-scan/tests/fixtures");
    let a = fixtures.join("p021_normal.jpg");
    let b = fixtures.join("p028_idcard.jpg");
    let junk = dir.path().join("notes.jpg");
    std::fs::write(&junk, b"not a photo at all").expect("write");
    let out = dir.path().join("pages");
    let combined = dir.path().join("all.pdf");
    let args = [
        "scan",
        "--mode",
        "bw",
        "--threads",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--pdf",
        combined.to_str().unwrap(),
        a.to_str().unwrap(),
        junk.to_str().unwrap(),
        b.to_str().unwrap(),
    ];
    let run = hoso(dir.path(), &args);
    // One photo could not be read: the run says so with a non-zero status, the others are done.
    assert!(!run.status.success());
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let photos = report["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 3);
    assert_eq!(photos[0]["stem"], "p021_normal");
    assert_eq!(photos[0]["mode"], "bw");
    assert_eq!(photos[1]["ok"], false);
    assert_eq!(photos[1]["error"]["code"], "not_an_image");
    assert_eq!(photos[2]["kind"], "id_card");
    let pdf = std::fs::read(out.join("p021_normal.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(pdf.windows(14).any(|w| w == b"CCITTFaxDecode"));
    let corners: Value =
        serde_json::from_slice(&std::fs::read(out.join("p021_normal.corners.json")).unwrap())
            .unwrap();
    assert_eq!(corners.as_array().unwrap().len(), 4);
    // The combined PDF has the two good pages, in order.
    let all = std::fs::read(&combined).unwrap();
    let pages = String::from_utf8_lossy(&all).matches("/Subtype/Image").count()
        + String::from_utf8_lossy(&all).matches("/Subtype /Image").count();
    assert_eq!(pages, 2);
    // Deterministic: the same photos give the same bytes.
    let again = hoso(dir.path(), &args);
    assert!(!again.status.success());
    assert_eq!(std::fs::read(&combined).unwrap(), all);
}

/// The grey pixels of a one-page A4 PDF at 200 dpi as Poppler draws it, as any PDF viewer
/// shows it to the official who opens it.
fn rendered_a4(pdf: &std::path::Path, scratch: &std::path::Path) -> Vec<u8> {
    let stem = scratch.join("rendered");
    let status = Command::new("pdftoppm")
        .args(["-scale-to-x", "1654", "-scale-to-y", "2339", "-gray", "-singlefile"])
        .arg(pdf)
        .arg(&stem)
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    // A binary PGM: "P5", width, height, maxval, one whitespace, then a byte per pixel.
    let pgm = std::fs::read(scratch.join("rendered.pgm")).expect("rendered page");
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
        at += 1;
    }
    assert_eq!(fields, ["P5", "1654", "2339", "255"]);
    pgm[at..].to_vec()
}

/// `hoso scan --mode MODE` of the fixture photo p021 into `dir/pages`, which it returns.
fn scanned(dir: &std::path::Path, mode: &str) -> std::path::PathBuf {
    let photo = scan_fixture("p021_normal.jpg");
    let out = dir.join("pages");
    let run = hoso(
        dir,
        &["scan", "--mode", mode, "--out", out.to_str().unwrap(), photo.to_str().unwrap()],
    );
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    out
}

#[test]
fn a_black_and_white_page_renders_as_black_text_on_white_paper() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = scanned(dir.path(), "bw");
    let pixels = rendered_a4(&out.join("p021_normal.pdf"), dir.path());
    let white = pixels.iter().filter(|&&v| v > 200).count() as f64 / pixels.len() as f64;
    let black = pixels.iter().filter(|&&v| v < 55).count() as f64 / pixels.len() as f64;
    assert!(white > 0.85, "mostly white paper, not a negative: {white:.3} white");
    assert!(black > 0.01 && black < 0.15, "black text: {black:.3} black");
}

#[test]
fn a_grey_text_page_is_a_small_pdf_of_four_grey_levels_that_renders_as_scanned() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = scanned(dir.path(), "gray");
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let p = &report["photos"][0];
    assert_eq!((p["mode"].as_str(), p["encoding"].as_str()), (Some("gray"), Some("gray4")));
    assert!(p["pdf_bytes"].as_u64().unwrap() < 100_000, "{p}");
    // Poppler draws the 2-bit grey page in its four levels, with the text in black.
    let pixels = rendered_a4(&out.join("p021_normal.pdf"), dir.path());
    // Each pixel counted at its nearest level; Poppler smooths a few where it resamples.
    let mut count = [0usize; 4];
    let mut between = 0usize;
    for &v in &pixels {
        let nearest = usize::from((u16::from(v) + 42) / 85);
        count[nearest] += 1;
        if [0u8, 85, 170, 255][nearest].abs_diff(v) > 10 {
            between += 1;
        }
    }
    assert!(between * 20 < pixels.len(), "{between} pixels between the four levels");
    let all = (1654 * 2339) as f64;
    assert!(count[3] as f64 > 0.8 * all, "mostly white paper: {count:?}");
    assert!(count[0] as f64 > 0.005 * all, "black text: {count:?}");
    assert!(count[1] > 1000 && count[2] > 1000, "the strokes' edges in grey: {count:?}");
}

#[test]
fn watch_once_prints_a_json_line_per_photo_and_takes_each_content_once() {
    let data = tempfile::tempdir().expect("tmp");
    let inbox = tempfile::tempdir().expect("tmp");
    let photo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../hoso-scan/tests/fixtures/p003_normal.jpg"
    ))
    .expect("fixture");
    std::fs::write(inbox.path().join("a.jpg"), &photo).unwrap();
    std::fs::write(inbox.path().join("a copy.jpg"), &photo).unwrap();
    std::fs::write(inbox.path().join("b.jpg.crdownload"), &photo).unwrap();
    std::fs::write(inbox.path().join("notes.txt"), "x").unwrap();
    let dir = inbox.path().to_str().unwrap();
    let out = hoso(data.path(), &["watch", "--once", dir]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    lines.sort_by_key(|l| l["path"].as_str().unwrap_or("").to_owned());
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0]["path"].as_str().unwrap().ends_with("a copy.jpg"));
    assert!(lines[1]["path"].as_str().unwrap().ends_with("a.jpg"));
    assert_eq!(lines[0]["sha256"], lines[1]["sha256"]);
    assert_eq!(lines[0]["inbox_id"], lines[1]["inbox_id"], "the same content is one inbox photo");
    assert_ne!(lines[0]["duplicate"], lines[1]["duplicate"]);
    assert!(lines[0]["dossier_id"].is_null());
    assert!(String::from_utf8_lossy(&out.stderr).contains("notes.txt"));
    // A second pass takes nothing: what was seen is remembered.
    let again = hoso(data.path(), &["watch", "--once", dir]);
    assert!(again.status.success());
    assert!(again.stdout.is_empty(), "{}", String::from_utf8_lossy(&again.stdout));

    // Straight into a dossier's paper.
    let created = json(&hoso(data.path(), &["new", "--procedure", "2.000884"]));
    let id = created["id"].as_str().unwrap().to_owned();
    std::fs::write(inbox.path().join("c.jpg"), [photo.as_slice(), b"\0"].concat()).unwrap();
    let out =
        hoso(data.path(), &["watch", "--once", "--dossier", &id, "--component", "van_ban", dir]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let line: Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(line["dossier_id"], id.as_str());
    assert_eq!(line["component"], "van_ban");
    let shown = json(&hoso(data.path(), &["show", &id]));
    let comps = shown["components"].as_array().unwrap();
    let van_ban = comps.iter().find(|c| c["code"] == "van_ban").unwrap();
    assert_eq!(van_ban["pages"].as_array().unwrap().len(), 1);
}

#[test]
fn cccd_prints_a_card_or_a_coded_error_per_photo() {
    use hoso_cccd::synth::{Difficulty, Rng, card_photo, card_text};
    let dir = tempfile::tempdir().expect("tmp");
    let text = card_text(&mut Rng::new(3));
    let card = dir.path().join("cccd.jpg");
    std::fs::write(&card, card_photo(&text, 3, Difficulty::Realistic)).unwrap();
    let junk = dir.path().join("note.txt");
    std::fs::write(&junk, "không phải ảnh").unwrap();
    let out = hoso(dir.path(), &["cccd", card.to_str().unwrap(), junk.to_str().unwrap()]);
    assert!(!out.status.success(), "one photo was not a card");
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let expected = hoso_cccd::parse(&text).unwrap();
    assert_eq!(lines[0]["id_number"], expected.id_number.as_str());
    assert_eq!(lines[0]["full_name"], expected.full_name.as_str());
    assert_eq!(lines[0]["date_of_birth"], expected.date_of_birth.as_str());
    assert!(lines[0]["date_of_birth"].as_str().unwrap().len() == 10);
    assert!(lines[0]["mismatch"].is_null());
    // Generated cards print addresses with the old units: each has its new form.
    assert_eq!(lines[0]["address"], expected.address.as_str());
    let new = lines[0]["address_new"].as_str().expect("address_new");
    assert_eq!(Some(new), expected.address_new.as_deref());
    assert!(!["huyện", "quận", "thị xã"].iter().any(|d| new.to_lowercase().contains(d)), "{new}");
    assert_eq!(lines[1]["error"], "not_an_image");
    assert!(lines[1]["message"].as_str().unwrap().contains("không phải ảnh"));
}

/// A dossier travels by USB stick: exported on the citizen's computer, imported on the commune
/// official's, sent from there on the citizen's behalf; the receipt comes back in a receipt
/// bundle. Plus the printable dossier with its cover sheet (rendered to a PNG artifact).
#[test]
fn a_bundle_goes_from_one_computer_to_another_is_sent_on_behalf_and_its_receipt_comes_back() {
    let dir = tempfile::tempdir().expect("tmp");
    let (url, token, _portal) = portal(&dir.path().join("portal"));
    let citizen = dir.path().join("citizen");
    let official = dir.path().join("official");
    let run = |data: &std::path::Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_hoso"))
            .env("HOSO_DATA_DIR", data)
            .env("HOSO_PORTAL_TOKEN", &token)
            .env_remove("HOSO_PORTAL_URL")
            .args(args)
            .output()
            .expect("run hoso")
    };
    let created = json(&run(
        &citizen,
        &[
            "new",
            "--procedure",
            "2.000884",
            "--field",
            "applicant.full_name=Lò Thị Mai",
            "--field",
            "applicant.cccd=011190012345",
            "--field",
            "applicant.dob=05/09/1990",
            "--field",
            "applicant.sex=Nữ",
            "--field",
            "applicant.address=Bản Mường, Xã Mường Phăng, Tỉnh Điện Biên",
            "--field",
            "applicant.phone=0912345678",
            "--field",
            "document.name=Giấy ủy quyền",
        ],
    ));
    let id = created["id"].as_str().expect("id").to_owned();
    let photo = concat!(env!("CARGO_MANIFEST_DIR"), "/../hoso-scan/tests/fixtures/p003_normal.jpg");
    json(&run(&citizen, &["attach", &id, "van_ban", photo]));

    // The printable dossier: a cover sheet, then the cleaned page.
    let pdf = dir.path().join("ho-so.pdf");
    json(&run(&citizen, &["export-pdf", &id, pdf.to_str().expect("utf8")]));
    let text = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    for needle in [
        "HỒ SƠ THỦ TỤC HÀNH CHÍNH",
        "Chứng thực chữ ký",
        "Lò Thị Mai",
        "Lệ phí: 10.000đ",
        "1 trang",
        &id,
    ] {
        assert!(text.contains(needle), "{needle:?} not on the cover: {text}");
    }
    let pages = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&pages.stdout);
    assert!(info.lines().any(|l| l.starts_with("Pages:") && l.ends_with(" 2")), "{info}");
    assert!(info.contains("(A4)"), "an A4 cover: {info}");
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/artifacts");
    std::fs::create_dir_all(&artifacts).expect("artifacts dir");
    let png = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf.to_str().unwrap()])
        .arg(artifacts.join("dossier-cover"))
        .status()
        .expect("pdftoppm");
    assert!(png.success());
    assert!(
        std::fs::metadata(artifacts.join("dossier-cover.png")).expect("cover PNG").len() > 10_000
    );

    // Exported on the citizen's computer, imported twice on the official's: once.
    let bundle = dir.path().join("ho-so.hoso");
    json(&run(&citizen, &["bundle", "export", &id, bundle.to_str().expect("utf8")]));
    let first =
        json(&run(&official, &["bundle", "import", bundle.to_str().unwrap(), "--on-behalf"]));
    assert_eq!(
        (first["id"].as_str(), first["outcome"].as_str()),
        (Some(id.as_str()), Some("imported"))
    );
    let again =
        json(&run(&official, &["bundle", "import", bundle.to_str().unwrap(), "--on-behalf"]));
    assert_eq!(again["outcome"], "already");
    // Exported again later, unchanged: still the same dossier.
    std::thread::sleep(std::time::Duration::from_millis(5));
    json(&run(&citizen, &["bundle", "export", &id, bundle.to_str().expect("utf8")]));
    let later =
        json(&run(&official, &["bundle", "import", bundle.to_str().unwrap(), "--on-behalf"]));
    assert_eq!(later["outcome"], "already");
    let listed = json(&run(&official, &["list"]));
    assert_eq!(listed["items"].as_array().expect("items").len(), 1, "never twice: {listed}");

    // The citizen adds a page and sends a new version: it needs a confirmation to replace the
    // official's draft, then replaces it.
    let extra = dir.path().join("trang-2.pdf");
    std::fs::write(&extra, b"%PDF-1.7 trang 2").expect("write");
    json(&run(&citizen, &["attach", &id, "van_ban", extra.to_str().unwrap()]));
    json(&run(&citizen, &["bundle", "export", &id, bundle.to_str().unwrap()]));
    let refused = run(&official, &["bundle", "import", bundle.to_str().unwrap(), "--on-behalf"]);
    assert_eq!(refused.status.code(), Some(4));
    let line: Value = serde_json::from_slice(&refused.stdout).expect("JSON error");
    assert_eq!(line["error"], "exists");
    let replaced = json(&run(
        &official,
        &["bundle", "import", bundle.to_str().unwrap(), "--on-behalf", "--replace"],
    ));
    assert_eq!(replaced["outcome"], "replaced");
    let shown = json(&run(&official, &["show", &id]));
    assert_eq!(shown["values"]["document.name"], "Giấy ủy quyền");
    assert_eq!(shown["values"]["behalf.of"], "Lò Thị Mai (gói từ Máy tính có HoSo)");
    // The official sends it for the citizen.
    json(&run(&official, &["finalize", &id]));
    let sent = json(&run(&official, &["send", "--wait", "--timeout", "60", "--portal", &url]));
    assert_eq!(sent["submitted"][0]["id"], id.as_str());
    let held =
        hoso_portal::Db::open(&dir.path().join("portal")).expect("db").dossiers().expect("list");
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].files.len(), 2, "both pages travelled inside the bundle");
    let status = json(&run(&official, &["status", &id]));
    let receipt = status["receipt"].as_str().expect("receipt").to_owned();

    // The receipt bundle goes back: the citizen's copy shows the receipt code.
    let back = dir.path().join("bien-nhan.hoso");
    json(&run(&official, &["bundle", "export", &id, back.to_str().unwrap(), "--receipt"]));
    let applied = json(&run(&citizen, &["bundle", "import", back.to_str().unwrap()]));
    assert_eq!(applied["outcome"], "receipt");
    let mine = json(&run(&citizen, &["status", &id]));
    assert_eq!(mine["receipt"], receipt.as_str());
    assert_eq!(mine["state"], "received");

    // A hostile file gets its own code as JSON, and nothing is imported.
    let evil = dir.path().join("evil.hoso");
    let mut bytes = std::fs::read(&bundle).expect("bundle");
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&evil, &bytes).expect("write");
    let out =
        run(dir.path().join("third").as_path(), &["bundle", "import", evil.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    let line: Value = serde_json::from_slice(&out.stdout).expect("JSON error");
    assert_eq!(line["error"], "truncated");
    assert!(line["message"].as_str().expect("message").contains("cắt cụt"));
    // One that tries to write outside: refused by name, and nothing is written anywhere.
    let mut entries: Vec<hoso_bundle::zip::Entry> =
        hoso_bundle::zip::read(&std::fs::read(&bundle).unwrap(), &hoso_bundle::Limits::default())
            .expect("good zip")
            .into_iter()
            .map(|(n, d)| hoso_bundle::zip::Entry::file(&n, d))
            .collect();
    entries.push(hoso_bundle::zip::Entry::file("../../escaped.txt", b"gotcha".to_vec()));
    std::fs::write(&evil, hoso_bundle::zip::write(&entries)).expect("write");
    let third = dir.path().join("third").join("data");
    let out = run(&third, &["bundle", "import", evil.to_str().unwrap()]);
    let line: Value = serde_json::from_slice(&out.stdout).expect("JSON error");
    assert_eq!(line["error"], "path_traversal");
    for d in [third.as_path(), dir.path().join("third").as_path(), dir.path()] {
        assert!(!d.join("escaped.txt").exists(), "written into {}", d.display());
    }
}

fn scan_fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../hoso-scan/tests/fixtures").join(name)
}

#[test]
fn digitise_reads_pages_and_after_a_kill_ocr_goes_on_without_reading_a_page_twice() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("quet");
    std::fs::create_dir(&input).expect("mkdir");
    for (i, f) in ["p003_normal.jpg", "p021_normal.jpg", "p028_idcard.jpg", "p030_noexif.jpg"]
        .iter()
        .enumerate()
    {
        std::fs::copy(scan_fixture(f), input.join(format!("trang-{}.jpg", i + 1))).expect("copy");
    }
    let data = dir.path().join("data");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hoso"))
        .env("HOSO_DATA_DIR", &data)
        .args(["digitise", "--in"])
        .arg(&input)
        .args(["--ocr", "--threads", "1", "--group", "one"])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("stderr.txt")).expect("stderr file"))
        .spawn()
        .expect("spawn");
    // Kill it (as a power cut would) once the first page has been read.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let done_before = loop {
        assert!(std::time::Instant::now() < deadline, "no page was read within 120 s");
        if let Some(status) = child.try_wait().expect("wait") {
            let err = std::fs::read_to_string(dir.path().join("stderr.txt")).unwrap_or_default();
            panic!("hoso digitise ended ({status}) before it was killed: {err}");
        }
        if let Ok(a) = hoso_archive::Archive::open(&data.join("archive"))
            && let Ok(records) = a.records()
            && let Some(r) = records.first()
        {
            let done: Vec<_> = r
                .pages
                .iter()
                .filter(|p| p.ocr == hoso_archive::OcrState::Done)
                .map(|p| (p.id, p.ocr_done_at))
                .collect();
            if !done.is_empty() {
                child.kill().expect("kill");
                break done;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(30));
    };
    let _ = child.wait();
    assert!(done_before.len() < 4, "the kill came too late to test resuming");

    let report = json(&hoso(&data, &["ocr", "--threads", "1"]));
    let a = hoso_archive::Archive::open(&data.join("archive")).expect("open");
    let pages = a.records().expect("records")[0].pages.clone();
    assert_eq!(pages.len(), 4);
    assert!(pages.iter().all(|p| p.ocr == hoso_archive::OcrState::Done));
    // Each page was read exactly once; the ones read before the kill kept their reading.
    assert!(pages.iter().all(|p| p.ocr_runs == 1), "{pages:?}");
    for (id, at) in &done_before {
        assert_eq!(pages.iter().find(|p| p.id == *id).expect("page").ocr_done_at, *at);
    }
    assert_eq!(report["read"], 4 - done_before.len());
    assert_eq!(report["left"], 0);

    let hits = json(&hoso(&data, &["search", "truong", "thi", "thu", "loan"]));
    assert_eq!(hits.as_array().expect("hits").len(), 1, "{hits}");
    assert!(hits[0]["snippet"].as_str().expect("snippet").contains("Trương Thị Thu Loan"));

    // To another computer and back: the text travels, nothing is read again or taken twice.
    let out = dir.path().join("xuat");
    let exported = json(&hoso(&data, &["export-archive", out.to_str().expect("path")]));
    assert_eq!((exported["records"].as_u64(), exported["pages"].as_u64()), (Some(1), Some(4)));
    let other = dir.path().join("other");
    let imported = json(&hoso(&other, &["import-archive", out.to_str().expect("path")]));
    assert_eq!((imported["records"].as_u64(), imported["pages"].as_u64()), (Some(1), Some(4)));
    let again = json(&hoso(&other, &["import-archive", out.to_str().expect("path")]));
    assert_eq!((again["records"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(1)));
    let hits = json(&hoso(&other, &["search", "truong", "thi", "thu", "loan"]));
    assert_eq!(hits.as_array().expect("hits").len(), 1, "{hits}");
}

#[test]
fn a_separator_sheet_is_a_printable_a4_pdf_with_its_words() {
    let dir = tempfile::tempdir().expect("tmp");
    let pdf = dir.path().join("tach.pdf");
    let out =
        hoso(dir.path(), &["separator", pdf.to_str().expect("path"), "--kind", "Hồ sơ đất đai"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("TỜ PHÂN CÁCH HỒ SƠ") && text.contains("Hồ sơ đất đai"), "{text}");
}
