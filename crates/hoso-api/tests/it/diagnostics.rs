//! The diagnostics file says how HoSo is doing and nothing about anyone.

use crate::{certified_copy_draft, change, open};

#[test]
fn diagnostics_hold_versions_states_and_integrity_but_no_personal_data() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    hoso.set_portal("http://can-bo:mat-khau@127.0.0.1:8787/api", Some("bi-mat-123")).ok();
    let d = certified_copy_draft(&hoso);
    hoso.save_fields(&d.id, &[change("applicant.phone", "0987654321")]).expect("save");
    hoso.add_page(
        &d.id,
        "van_ban",
        b"%PDF-1.7 hop dong",
        "application/pdf",
        "hop-dong-cua-hoa.pdf",
    )
    .expect("page");
    hoso.finalize(&d.id).expect("finalize");
    let draft = certified_copy_draft(&hoso);
    hoso.trash_dossier(&draft.id).expect("trash");

    // A refused bundle and an error carrying a typed value, for the log.
    assert!(hoso.bundle_import(b"PK\x03\x04 cut short", false, false).is_err());
    let _ = hoso.save_fields(&draft.id, &[change("applicant.cccd", "001190012345")]);

    let diag = hoso.diagnostics().expect("diagnostics");
    let text = serde_json::to_string_pretty(&diag).expect("json");
    assert_eq!(diag["database"]["integrity"], "ok");
    assert_eq!(diag["hoso"]["schema"], hoso_store::SCHEMA_VERSION);
    assert_eq!(diag["portal"]["host"], "http://127.0.0.1:8787");
    assert!(diag["system"]["cores"].as_u64().is_some_and(|n| n >= 1), "{}", diag["system"]);
    if cfg!(target_os = "linux") {
        let memory = &diag["system"]["memoryMiB"];
        let (total, available) = (memory["total"].as_u64(), memory["available"].as_u64());
        assert!(total.is_some_and(|t| t >= 256), "{memory}");
        assert!(available.is_some_and(|a| a > 0 && Some(a) <= total), "{memory}");
    }
    let queued = diag["outbox"].as_array().expect("outbox").iter().find(|j| j["state"] == "queued");
    assert_eq!(queued.expect("a queued job")["jobs"], 1);
    let drafts =
        diag["dossiers"].as_array().expect("dossiers").iter().find(|s| s["state"] == "draft");
    assert_eq!(drafts.expect("drafts")["trash"], 1);
    assert_eq!(diag["files"]["count"], 1);
    let log: Vec<String> = diag["log"]
        .as_array()
        .expect("log")
        .iter()
        .map(|l| l.as_str().unwrap_or_default().to_owned())
        .collect();
    let short = d.id.split('-').next().unwrap_or_default();
    assert!(
        log.iter()
            .any(|l| l.contains(&format!("finalize {short} procedure=2.000884 files=1 fee=10000"))),
        "{log:?}"
    );
    assert!(log.iter().any(|l| l.contains("bundle refused code=truncated")), "{log:?}");
    // The log file itself, whole, holds nothing personal either.
    let file = std::fs::read_to_string(dir.path().join("logs/hoso.log")).expect("log file");

    // Nothing anyone typed or attached, no secret, no id, no path of theirs.
    let text = format!("{text}\n{file}");
    let folded = hoso_catalogue::text::fold(&text);
    for secret in [
        "Nguyễn Thị Hoa",
        "nguyen thi hoa",
        "001190012345",
        "0987654321",
        "0912345678",
        "Tả Van",
        "Hợp đồng thuê nhà",
        "hop-dong-cua-hoa",
        "05/09/1990",
        "bi-mat-123",
        "mat-khau",
        "can-bo",
        &d.id,
        &draft.id,
        &dir.path().display().to_string(),
    ] {
        assert!(!text.contains(secret), "{secret:?} is in the diagnostics:\n{text}");
        assert!(
            !folded.contains(&hoso_catalogue::text::fold(secret)),
            "{secret:?} (folded) is in the diagnostics"
        );
    }
}
