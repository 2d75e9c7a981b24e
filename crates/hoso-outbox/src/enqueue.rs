//! Finalising: a draft becomes the exact body the portal will receive, frozen in the outbox.

use std::collections::BTreeSet;

use hoso_store::{DossierRecord, Store};
use serde_json::{Value, json};

/// Freezes a dossier into the outbox. The body lists every page as a file (component, name,
/// media type, SHA-256, size); each distinct file is uploaded once. `fee` (`{ total, lines }`,
/// worked out from the catalogue) goes with it when there is one to pay.
pub fn enqueue(
    store: &Store,
    record: &DossierRecord,
    fee: Option<Value>,
    now: i64,
) -> hoso_store::Result<()> {
    let files: Vec<Value> = record
        .pages
        .iter()
        .map(|p| {
            json!({
                "component": p.component_code,
                "name": if p.original_name.is_empty() { format!("{}-{}", p.component_code, p.position) } else { p.original_name.clone() },
                "mediaType": p.media_type,
                "sha256": p.sha256,
                "size": p.byte_size,
            })
        })
        .collect();
    let mut body = json!({
        "clientId": record.row.id,
        "procedureCode": record.row.procedure_code,
        "values": record.values,
        "files": files,
    });
    if let Some(fee) = fee {
        body["fee"] = fee;
    }
    // Sent by a commune official for a citizen (imported from the citizen's bundle).
    if let Some(whose) = record.values.get("behalf.of").filter(|w| !w.is_empty()) {
        body["onBehalfOf"] = json!(whose);
    }
    let mut seen = BTreeSet::new();
    let unique: Vec<(String, i64)> = record
        .pages
        .iter()
        .filter(|p| seen.insert(p.sha256.clone()))
        .map(|p| (p.sha256.clone(), p.byte_size))
        .collect();
    store.enqueue(&record.row.id, &body.to_string(), &unique, now)
}
