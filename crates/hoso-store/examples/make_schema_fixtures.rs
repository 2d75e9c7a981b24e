//! Writes the upgrade fixtures: for each schema version before the current one, a data folder
//! (`hoso.sqlite3` and `files/`) as that version left it — made by that version's migrations,
//! with the rows that version wrote: dossiers with values, pages and their files, history, and
//! from version 2 on outbox jobs, a receipt and a result document; from 4 a watched folder and
//! an inbox photo. Committed under `tests/fixtures/schema-v<N>/`; the `upgrade` test opens each
//! with the current build. Run again only to add the fixture of a new schema version:
//!     cargo run -p hoso-store --example make_schema_fixtures

use std::path::Path;

use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

const MIGRATIONS: [&str; 4] = [
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_outbox.sql"),
    include_str!("../migrations/0003_scan.sql"),
    include_str!("../migrations/0004_inbox.sql"),
];

const T: i64 = 1_790_000_000_000;

fn put(dir: &Path, conn: &Connection, bytes: &[u8], media: &str) -> String {
    let sha = hex::encode(Sha256::digest(bytes));
    let at = dir.join("files").join(&sha[..2]);
    std::fs::create_dir_all(&at).expect("files dir");
    std::fs::write(at.join(&sha), bytes).expect("blob");
    conn.execute(
        "INSERT OR IGNORE INTO blob (sha256, byte_size, media_type, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![sha, bytes.len() as i64, media, T],
    )
    .expect("blob row");
    sha
}

fn dossier(
    conn: &Connection,
    id: &str,
    code: &str,
    state: &str,
    title: &str,
    values: &[(&str, &str)],
) {
    conn.execute(
        "INSERT INTO dossier (id, procedure_code, state, title, search_text, missing, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, lower(?4), 0, ?5, ?5)",
        params![id, code, state, title, T],
    )
    .expect("dossier");
    for (k, v) in values {
        conn.execute(
            "INSERT INTO form_value (dossier_id, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, k, v, T],
        )
        .expect("value");
    }
    conn.execute(
        "INSERT INTO dossier_event (dossier_id, at, kind, detail) VALUES (?1, ?2, 'created', '')",
        params![id, T],
    )
    .expect("event");
}

fn page(conn: &Connection, id: &str, component: &str, position: i64, sha: &str, name: &str) {
    conn.execute(
        "INSERT INTO page (dossier_id, component_code, position, sha256, original_name, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, component, position, sha, name, T],
    )
    .expect("page");
}

fn make(version: usize, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("dir");
    let conn = Connection::open(dir.join("hoso.sqlite3")).expect("db");
    for sql in &MIGRATIONS[..version] {
        conn.execute_batch(sql).expect("migration");
    }
    conn.pragma_update(None, "user_version", version as u32).expect("version");

    // Every version: a draft with values and two pages.
    let d1 = "0193f000-0000-7000-8000-000000000001";
    dossier(
        &conn,
        d1,
        "1.001193",
        "draft",
        "Nguyễn Thị Hoa",
        &[
            ("applicant.full_name", "Nguyễn Thị Hoa"),
            ("applicant.cccd", "001190012345"),
            ("child.full_name", "Lò Văn An"),
        ],
    );
    let photo = put(dir, &conn, b"\xFF\xD8\xFF\xE0 giay chung sinh (fixture)", "image/jpeg");
    let form = put(dir, &conn, b"%PDF-1.7 to khai (fixture)", "application/pdf");
    page(&conn, d1, "giay_chung_sinh", 0, &photo, "giay-chung-sinh.jpg");
    page(&conn, d1, "to_khai", 0, &form, "to-khai.pdf");

    if version >= 2 {
        // Queued, half uploaded.
        let d2 = "0193f000-0000-7000-8000-000000000002";
        dossier(
            &conn,
            d2,
            "2.000884",
            "uploading",
            "Trần Văn Bình",
            &[("applicant.full_name", "Trần Văn Bình"), ("document.name", "Hợp đồng thuê nhà")],
        );
        let doc = put(dir, &conn, b"%PDF-1.7 hop dong (fixture)", "application/pdf");
        page(&conn, d2, "van_ban", 0, &doc, "hop-dong.pdf");
        conn.execute(
            "INSERT INTO outbox_job (dossier_id, payload, state, attempts, next_attempt_at, created_at, updated_at)
             VALUES (?1, ?2, 'uploading', 2, 0, ?3, ?3)",
            params![d2, r#"{"clientId":"0193f000-0000-7000-8000-000000000002","procedureCode":"2.000884"}"#, T],
        )
        .expect("job");
        conn.execute(
            "INSERT INTO outbox_file (dossier_id, sha256, size, upload_url, confirmed_offset, done)
             VALUES (?1, ?2, 27, 'http://127.0.0.1:8787/api/v1/files/abc', 10, 0)",
            params![d2, doc],
        )
        .expect("file");
        // Received, with a result document.
        let d3 = "0193f000-0000-7000-8000-000000000003";
        dossier(
            &conn,
            d3,
            "2.000884",
            "result_ready",
            "Lê Thị Cúc",
            &[("applicant.full_name", "Lê Thị Cúc")],
        );
        conn.execute(
            "UPDATE dossier SET receipt = 'HS-251101-000007-K', status_message = 'Mời nhận kết quả' WHERE id = ?1",
            [d3],
        )
        .expect("receipt");
        let result = put(dir, &conn, b"%PDF-1.7 ket qua (fixture)", "application/pdf");
        conn.execute(
            "INSERT INTO result_doc (dossier_id, remote_id, name, media_type, sha256, received_at)
             VALUES (?1, 'r1', 'ket-qua.pdf', 'application/pdf', ?2, ?3)",
            params![d3, result, T],
        )
        .expect("result");
        conn.execute("INSERT INTO kv (key, value) VALUES ('portal.changes_cursor', '42')", [])
            .expect("kv");
    }
    if version >= 3 {
        conn.execute(
            "UPDATE page SET scan = '{\"mode\":\"bw\"}' WHERE dossier_id = ?1 AND component_code = 'giay_chung_sinh'",
            [d1],
        )
        .expect("scan");
    }
    if version >= 4 {
        conn.execute(
            "INSERT INTO watch_folder (path, added_at) VALUES ('/home/hoa/Zalo', ?1)",
            [T],
        )
        .expect("folder");
        let inbox = put(dir, &conn, b"\xFF\xD8\xFF\xE0 anh moi (fixture)", "image/jpeg");
        conn.execute(
            "INSERT INTO inbox_item (sha256, source_path, original_name, byte_size, found_at)
             VALUES (?1, '/home/hoa/Zalo/anh.jpg', 'anh.jpg', 28, ?2)",
            params![inbox, T],
        )
        .expect("inbox");
    }
    conn.pragma_update(None, "journal_mode", "DELETE").expect("one file");
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for version in 1..=MIGRATIONS.len() {
        make(version, &root.join(format!("schema-v{version}")));
        println!("schema-v{version}");
    }
}
