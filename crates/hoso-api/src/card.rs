//! "Quét CCCD": the citizen ID card's QR code read from a photo (or a page already in the
//! dossier) and offered as values for the applicant's fields — each shown with what is there
//! now, so that nothing is overwritten without the person seeing it.

use crate::types::{CardChange, CardInfo, CardOption, CardOptionKind, CardProposal};
use crate::{ApiError, ErrorCode, Hoso, Result};

/// Where a field's value comes from on the card.
type Pick = fn(&CardInfo) -> &str;

/// The applicant's address field, offered in its new form when the card prints old units.
const ADDRESS: &str = "applicant.address";

/// The applicant's fields a card fills, and where each value comes from.
const FILLS: [(&str, Pick); 5] = [
    ("applicant.full_name", |c| &c.full_name),
    ("applicant.cccd", |c| &c.id_number),
    ("applicant.dob", |c| &c.date_of_birth),
    ("applicant.sex", |c| &c.sex),
    (ADDRESS, |c| &c.address),
];

/// yyyy-mm-dd → dd/mm/yyyy, as the forms write dates.
fn vn_date(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    match p.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

impl Hoso {
    /// Reads a card from a photo and proposes values for dossier `id`'s applicant fields.
    pub fn read_card(&self, id: &str, bytes: &[u8]) -> Result<CardProposal> {
        let card = hoso_cccd::read_photo(bytes)
            .map_err(|e| ApiError::new(ErrorCode::BadImage, e.to_string()))?;
        self.card_proposal(id, card)
    }

    /// [`Hoso::read_card`] from the original photo of a page already in the dossier.
    pub fn read_card_from_page(&self, id: &str, page_id: i64) -> Result<CardProposal> {
        let bytes = self.page_original(id, page_id)?;
        self.read_card(id, &bytes)
    }

    fn card_proposal(&self, id: &str, c: hoso_cccd::Card) -> Result<CardProposal> {
        let dossier = self.dossier(id)?;
        let procedure = self.catalogue.procedure(&dossier.procedure_code);
        let address_new = self.address_new(&c.address);
        let card = CardInfo {
            address_new: address_new.as_ref().map(|a| a.address.clone()),
            id_number: c.id_number,
            old_id: c.old_id,
            full_name: c.full_name,
            date_of_birth: vn_date(&c.date_of_birth),
            sex: c.sex,
            address: c.address,
            issue_date: vn_date(&c.issue_date),
            mismatch: c.mismatch.map(str::to_owned),
        };
        let changes = FILLS
            .iter()
            .filter_map(|(key, value)| {
                let field = procedure?.field(key)?;
                let current = dossier.values.get(*key).cloned().unwrap_or_default();
                // The address: its new form first, then as printed, then the other communes
                // the old one was split into. The new form (or a split one) already there means
                // nothing to do; the old form typed by hand is offered its new form.
                let options: Vec<CardOption> = match (&address_new, *key == ADDRESS) {
                    (Some(a), true) => {
                        let new = std::iter::once((&a.address, CardOptionKind::New));
                        let printed = std::iter::once((&card.address, CardOptionKind::Card));
                        let split = a.split.iter().map(|s| (s, CardOptionKind::Split));
                        new.chain(printed)
                            .chain(split)
                            .map(|(v, kind)| CardOption { value: v.clone(), kind })
                            .collect()
                    }
                    _ => Vec::new(),
                };
                let proposed =
                    options.first().map_or_else(|| value(&card).to_owned(), |o| o.value.clone());
                let already = current == proposed
                    || options
                        .iter()
                        .any(|o| o.kind == CardOptionKind::Split && o.value == current);
                (!already).then(|| CardChange {
                    key: (*key).to_owned(),
                    label: field.label.clone(),
                    current,
                    proposed,
                    options,
                })
            })
            .collect();
        Ok(CardProposal { card, changes })
    }
}
