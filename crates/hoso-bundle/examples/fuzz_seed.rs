//! Writes seed bundles for the fuzzer into a folder: a valid signed bundle with two files, one
//! with no files, and a receipt bundle. `cargo run -p hoso-bundle --example fuzz_seed -- DIR`.

use std::collections::BTreeMap;

use hoso_bundle::{Device, DeviceKey, DossierPart, FileRef, Kind, Manifest, write};
use sha2::{Digest, Sha256};

fn main() -> std::io::Result<()> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "corpus".into()));
    std::fs::create_dir_all(&dir)?;
    let key = DeviceKey::from_secret([3; 32]);
    let pages: Vec<Vec<u8>> = vec![b"\xFF\xD8\xFF page one".to_vec(), vec![7u8; 3000]];
    let files: BTreeMap<String, Vec<u8>> =
        pages.iter().map(|p| (hex::encode(Sha256::digest(p)), p.clone())).collect();
    let manifest = |kind: Kind, with_files: bool| Manifest {
        format: hoso_bundle::FORMAT,
        kind,
        created_at: 1,
        device: Device { public_key: String::new(), label: "seed".into() },
        dossier: DossierPart {
            id: "0193f2c4-5b6a-7c3d-8e9f-2a4b6c8d0e1f".into(),
            procedure_code: "2.000884".into(),
            values: BTreeMap::from([("applicant.full_name".into(), "Lò Thị Mai".into())]),
            state: "draft".into(),
            receipt: (kind == Kind::Receipt).then(|| "HS-261122-000001-K".into()),
            status_message: String::new(),
            created_at: 1,
            updated_at: 2,
            on_behalf_of: None,
        },
        files: if with_files {
            pages
                .iter()
                .enumerate()
                .map(|(i, p)| FileRef {
                    sha256: hex::encode(Sha256::digest(p)),
                    size: p.len() as u64,
                    component: "van_ban".into(),
                    position: i as i64,
                    name: format!("trang-{i}.jpg"),
                    media_type: "image/jpeg".into(),
                })
                .collect()
        } else {
            Vec::new()
        },
    };
    let seeds = [
        ("dossier.hoso", manifest(Kind::Dossier, true)),
        ("empty.hoso", manifest(Kind::Dossier, false)),
        ("receipt.hoso", manifest(Kind::Receipt, false)),
    ];
    for (name, m) in seeds {
        let bytes = write(m, &files, &key).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}
