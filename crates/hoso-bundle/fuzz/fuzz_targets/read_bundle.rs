//! The bundle reader on arbitrary bytes: it may refuse them, never crash, hang or run away with
//! memory (the input is capped at 1 MiB, like a small bundle).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = hoso_bundle::Limits { max_bundle_bytes: 1 << 20, ..Default::default() };
    let _ = hoso_bundle::read(data, &limits);
});
