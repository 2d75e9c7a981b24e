//! Integration tests of the façade against a real store in a temporary directory.

mod bindings;
mod bridge;
mod card;
mod catalogue;
mod diagnostics;
mod dossiers;
mod fee;
mod papers;
mod scan;
mod sending;
mod startup;
mod watch;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use hoso_api::{Clock, Hoso};

/// 2026-11-22 09:00 in Hanoi.
pub const NOW: i64 = 1_795_312_800_000;

/// A clock that advances one second each time it is read.
#[derive(Debug)]
pub struct SteppingClock(AtomicI64);

impl SteppingClock {
    pub fn at(ms: i64) -> Arc<Self> {
        Arc::new(Self(AtomicI64::new(ms)))
    }
}

impl Clock for SteppingClock {
    fn now_ms(&self) -> i64 {
        self.0.fetch_add(1000, Ordering::SeqCst)
    }
}

pub fn open(dir: &std::path::Path) -> Hoso {
    Hoso::open(dir, SteppingClock::at(NOW)).expect("open")
}

pub fn change(key: &str, value: &str) -> hoso_api::types::FieldChange {
    hoso_api::types::FieldChange { key: key.to_owned(), value: value.to_owned() }
}

/// A certified-copy draft with every field filled: only the document to copy is missing.
pub fn certified_copy_draft(hoso: &Hoso) -> hoso_api::types::Dossier {
    hoso.create_dossier(
        "2.000884",
        &[
            change("applicant.full_name", "Nguyễn Thị Hoa"),
            change("applicant.cccd", "001190012345"),
            change("applicant.dob", "05/09/1990"),
            change("applicant.sex", "Nữ"),
            change("applicant.address", "Thôn 3, xã Tả Van, tỉnh Lào Cai"),
            change("applicant.phone", "0912345678"),
            change("document.name", "Hợp đồng thuê nhà"),
        ],
    )
    .expect("create")
}
