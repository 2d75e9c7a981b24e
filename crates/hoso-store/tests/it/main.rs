//! Integration tests of the store against real database files in temporary directories.

mod crash;
mod dossiers;
mod inbox;
mod open;
mod upgrade;

use std::collections::BTreeMap;

use hoso_store::{Content, Store, Summary};

/// A summary that counts values, so tests can see that summaries follow the content.
pub fn count_values(c: &Content<'_>) -> Summary {
    Summary {
        title: c.values.get("applicant.full_name").cloned().unwrap_or_default(),
        search_text: c.values.values().cloned().collect::<Vec<_>>().join(" ").to_lowercase(),
        missing: u32::try_from(
            3usize.saturating_sub(c.values.len() + c.components_with_pages.len()),
        )
        .unwrap_or(0),
    }
}

pub fn new_dossier(store: &Store, id: &str, values: &[(&str, &str)], now: i64) {
    let values: BTreeMap<String, String> =
        values.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    store
        .insert_dossier(
            &hoso_store::NewDossier { id, procedure_code: "1.001193", values: &values, now },
            count_values,
        )
        .expect("insert");
}
