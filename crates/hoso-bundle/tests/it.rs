//! Bundles written and read back, and every kind of hostile file refused with its own code.

use std::collections::BTreeMap;

use hoso_bundle::zip::{self, Entry};
use hoso_bundle::{Device, DeviceKey, DossierPart, FileRef, Kind, Limits, Manifest, read, write};
use sha2::{Digest, Sha256};

fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

fn key() -> DeviceKey {
    DeviceKey::from_secret([7; 32])
}

fn manifest(files: &[(&str, &[u8])]) -> Manifest {
    Manifest {
        format: hoso_bundle::FORMAT,
        kind: Kind::Dossier,
        created_at: 1_795_312_800_000,
        device: Device { public_key: String::new(), label: "Máy nhà chị Hoa".into() },
        dossier: DossierPart {
            id: "0193f2c4-5b6a-7c3d-8e9f-2a4b6c8d0e1f".into(),
            procedure_code: "2.000884".into(),
            values: BTreeMap::from([("applicant.full_name".into(), "Nguyễn Thị Hoa".into())]),
            state: "draft".into(),
            receipt: None,
            status_message: String::new(),
            created_at: 1_795_312_000_000,
            updated_at: 1_795_312_700_000,
            on_behalf_of: None,
        },
        files: files
            .iter()
            .enumerate()
            .map(|(i, (name, b))| FileRef {
                sha256: sha(b),
                size: b.len() as u64,
                component: "van_ban".into(),
                position: i as i64,
                name: (*name).into(),
                media_type: "image/jpeg".into(),
            })
            .collect(),
    }
}

fn good() -> (Vec<u8>, Vec<Vec<u8>>) {
    let pages: Vec<Vec<u8>> = vec![b"\xFF\xD8\xFF trang 1".to_vec(), vec![42u8; 5000]];
    let m = manifest(&[("trang-1.jpg", &pages[0]), ("trang-2.jpg", &pages[1])]);
    let files = pages.iter().map(|p| (sha(p), p.clone())).collect();
    (write(m, &files, &key()).expect("write"), pages)
}

fn code(bytes: &[u8]) -> &'static str {
    code_with(bytes, &Limits::default())
}

fn code_with(bytes: &[u8], limits: &Limits) -> &'static str {
    match read(bytes, limits) {
        Ok(_) => "ok",
        Err(e) => {
            assert!(!e.to_string().is_empty());
            e.code()
        }
    }
}

/// The entries of the good bundle, to rebuild it with one thing changed.
fn entries_of(bytes: &[u8]) -> Vec<Entry> {
    zip::read(bytes, &Limits::default())
        .expect("good zip")
        .into_iter()
        .map(|(n, d)| Entry::file(&n, d))
        .collect()
}

#[test]
fn a_bundle_reads_back_as_written_signed_by_its_device() {
    let (bytes, pages) = good();
    let opened = read(&bytes, &Limits::default()).expect("read");
    assert_eq!(opened.manifest.device.public_key, key().public_hex());
    assert_eq!(opened.manifest.device.label, "Máy nhà chị Hoa");
    assert_eq!(opened.manifest.dossier.values["applicant.full_name"], "Nguyễn Thị Hoa");
    assert_eq!(opened.files.len(), 2);
    for p in &pages {
        assert_eq!(&opened.files[&sha(p)], p);
    }
    // Deterministic: Ed25519 signatures and the archive's layout do not vary.
    assert_eq!(good().0, bytes);
    let fp = hoso_bundle::fingerprint(&key().public_hex());
    assert_eq!(fp.len(), 19);
    assert_eq!(fp.matches('-').count(), 3);
}

#[test]
fn hostile_archives_are_refused_each_with_its_own_code() {
    let (bytes, _) = good();
    let with = |extra: Entry| {
        let mut e = entries_of(&bytes);
        e.push(extra);
        zip::write(&e)
    };
    assert_eq!(code(&with(Entry::file("../../.bashrc", b"rm -rf ~".to_vec()))), "path_traversal");
    assert_eq!(code(&with(Entry::file("files/../../x", b"x".to_vec()))), "path_traversal");
    assert_eq!(code(&with(Entry::file("/etc/cron.d/x", b"x".to_vec()))), "absolute_path");
    assert_eq!(code(&with(Entry::file("C:\\Windows\\x", b"x".to_vec()))), "absolute_path");
    assert_eq!(code(&with(Entry::symlink("files/link", "/etc/passwd"))), "symlink");
    assert_eq!(code(&with(Entry::file("manifest.json", b"{}".to_vec()))), "duplicate_name");
    assert_eq!(code(&with(Entry::file("readme.txt", b"hi".to_vec()))), "unexpected_entry");

    // Cut short anywhere: truncated (the end record or the data is missing).
    for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 10] {
        assert_eq!(code(&bytes[..cut]), "truncated", "cut at {cut}");
    }
    assert_eq!(code(b"%PDF-1.7 not a bundle"), "not_a_bundle");
    assert_eq!(code(&[]), "not_a_bundle");
}

#[test]
fn zip_bombs_are_refused_by_size_ratio_and_lying_sizes() {
    // 4 MiB of zeros deflates to a few KB: far above the ratio allowed.
    let bomb = zip::write(&[Entry::file("files/zeros", vec![0u8; 4 << 20])]);
    assert_eq!(code(&bomb), "zip_bomb");
    let small = Limits { max_file_bytes: 1000, ..Limits::default() };
    assert_eq!(code_with(&good().0, &small), "too_large");
    let few = Limits { max_total_bytes: 3000, ..Limits::default() };
    assert_eq!(code_with(&good().0, &few), "too_large");
    let tiny = Limits { max_bundle_bytes: 100, ..Limits::default() };
    assert_eq!(code_with(&good().0, &tiny), "too_large");
    let entries: Vec<Entry> =
        (0..30).map(|i| Entry::file(&format!("files/{i}"), vec![1])).collect();
    assert_eq!(
        code_with(&zip::write(&entries), &Limits { max_entries: 20, ..Limits::default() }),
        "too_many_entries"
    );

    // An entry that says it holds 10 bytes but inflates to 5,000: refused at byte 11.
    let mut lying = zip::write(&[Entry::file("manifest.json", vec![b' '; 5000])]);
    let cd = lying.windows(4).rposition(|w| w == [0x50, 0x4b, 0x01, 0x02]).expect("central entry");
    lying[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
    assert_eq!(code(&lying), "zip_bomb");
}

#[test]
fn manifests_that_are_huge_new_or_unsigned_or_tampered_are_refused() {
    let (bytes, pages) = good();
    let files: BTreeMap<String, Vec<u8>> = pages.iter().map(|p| (sha(p), p.clone())).collect();

    // Huge: 2 MiB of values (incompressible, so it is the manifest's size that refuses it).
    let mut huge = manifest(&[]);
    let noise: String = (0..(2u64 << 20) / 64).map(|i| sha(&i.to_le_bytes())).collect();
    huge.dossier.values.insert("applicant.note".into(), noise);
    assert_eq!(code(&write(huge, &BTreeMap::new(), &key()).expect("write")), "manifest_too_large");

    // A newer format: "update HoSo".
    let mut e = entries_of(&bytes);
    let text =
        String::from_utf8(e[0].data.clone()).unwrap().replacen("\"format\": 1", "\"format\": 2", 1);
    e[0].data = text.into_bytes();
    assert_eq!(code(&zip::write(&e)), "unknown_format");

    // Not signed.
    let e: Vec<Entry> =
        entries_of(&bytes).into_iter().filter(|x| x.name != "manifest.sig").collect();
    assert_eq!(code(&zip::write(&e)), "signature_missing");

    // Signed, then changed: a name edited after export.
    let mut e = entries_of(&bytes);
    let text =
        String::from_utf8(e[0].data.clone()).unwrap().replace("Nguyễn Thị Hoa", "Nguyễn Thị Hòa");
    e[0].data = text.into_bytes();
    assert_eq!(code(&zip::write(&e)), "signature_invalid");

    // Signed by another key than the one the manifest names.
    let mut e = entries_of(&bytes);
    let other = write(manifest(&[]), &BTreeMap::new(), &DeviceKey::from_secret([9; 32])).unwrap();
    e[1].data = entries_of(&other)[1].data.clone();
    assert_eq!(code(&zip::write(&e)), "signature_invalid");

    // A file whose bytes differ from the hash the signed manifest gives.
    let mut swapped = files.clone();
    let first = sha(&pages[0]);
    swapped.insert(first.clone(), b"\xFF\xD8\xFF a different page".to_vec());
    let m = manifest(&[("trang-1.jpg", &pages[0]), ("trang-2.jpg", &pages[1])]);
    assert_eq!(code(&write(m.clone(), &swapped, &key()).unwrap()), "hash_mismatch");

    // A file the manifest lists but the archive lacks, and a file it does not list.
    let e: Vec<Entry> =
        entries_of(&bytes).into_iter().filter(|x| x.name != format!("files/{first}")).collect();
    assert_eq!(code(&zip::write(&e)), "file_missing");
    let mut e = entries_of(&bytes);
    e.push(Entry::file(&format!("files/{}", sha(b"extra")), b"extra".to_vec()));
    assert_eq!(code(&zip::write(&e)), "unexpected_entry");

    // Garbage where the manifest should be.
    let mut e = entries_of(&bytes);
    e[0].data = b"{ not json".to_vec();
    assert_eq!(code(&zip::write(&e)), "manifest_invalid");
    let e: Vec<Entry> =
        entries_of(&bytes).into_iter().filter(|x| x.name != "manifest.json").collect();
    assert_eq!(code(&zip::write(&e)), "manifest_missing");
}

#[test]
fn a_corrupted_byte_inside_a_file_is_caught() {
    let (bytes, _) = good();
    // Flip a byte in the last stored file's data (the 5,000 × 42 page is deflated; the small
    // JPEG is stored): the CRC or the inflater notices.
    let mut bad = bytes.clone();
    let at = bad.windows(9).position(|w| w == b"\xFF\xD8\xFF trang").expect("stored page");
    bad[at + 5] ^= 0x20;
    assert_eq!(code(&bad), "corrupt");
}
