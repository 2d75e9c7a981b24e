//! Fees worked out offline from the catalogue, the portal's payment request as a VietQR code,
//! and how the result comes back ("delivery.*" values chosen at submission).

use hoso_catalogue::{CivilDate, vnd};

use crate::types::{FeeInfo, FeeKind, FeeLineInfo, PaymentInfo};
use crate::{ApiError, ErrorCode, Hoso, Result};

/// Values the app keeps with a dossier besides the procedure's fields: how the result comes
/// back (`desk`, `post` or `download`) and, by post, where to. Sent with the form's values.
pub const DELIVERY_METHOD: &str = "delivery.method";
pub const DELIVERY_ADDRESS: &str = "delivery.address";
pub const DELIVERY_METHODS: [&str; 3] = ["desk", "post", "download"];

pub(crate) fn fee_info(q: &hoso_catalogue::FeeQuote) -> FeeInfo {
    FeeInfo {
        kind: match q.kind {
            hoso_catalogue::FeeKind::Amount => FeeKind::Amount,
            hoso_catalogue::FeeKind::Free => FeeKind::Free,
            hoso_catalogue::FeeKind::Province => FeeKind::Province,
            hoso_catalogue::FeeKind::Incomplete => FeeKind::Incomplete,
        },
        total: q.total,
        total_text: vnd(i64::try_from(q.total).unwrap_or(i64::MAX)),
        lines: q
            .lines
            .iter()
            .map(|l| FeeLineInfo {
                label: l.label.clone(),
                amount: l.amount,
                amount_text: vnd(l.amount),
            })
            .collect(),
        note: q.note.clone(),
    }
}

/// The fee as the submission body carries it, when there is one to pay.
pub(crate) fn fee_body(q: &hoso_catalogue::FeeQuote) -> Option<serde_json::Value> {
    (q.kind == hoso_catalogue::FeeKind::Amount && q.total > 0).then(|| {
        serde_json::json!({
            "total": q.total,
            "lines": q.lines.iter().map(|l| serde_json::json!({ "label": l.label, "amount": l.amount })).collect::<Vec<_>>(),
        })
    })
}

pub(crate) fn payment_info(p: &hoso_store::Payment) -> Result<PaymentInfo> {
    let amount = u64::try_from(p.amount).unwrap_or(0);
    let transfer = hoso_pay::Transfer {
        bank_bin: &p.bank_bin,
        account: &p.account,
        amount,
        purpose: &p.reference,
    };
    let vietqr = hoso_pay::payload(&transfer)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("VietQR: {e}")))?;
    let qr_svg = hoso_pay::qr_svg(&vietqr)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("VietQR: {e}")))?;
    Ok(PaymentInfo {
        amount,
        amount_text: vnd(p.amount),
        reference: p.reference.clone(),
        bank_bin: p.bank_bin.clone(),
        bank_name: hoso_pay::bank_name(&p.bank_bin).to_owned(),
        account: p.account.clone(),
        account_name: p.account_name.clone(),
        paid: p.paid_at.is_some(),
        paid_at: p.paid_at,
        vietqr,
        qr_svg,
    })
}

impl Hoso {
    /// The day a dossier's fee is worked out for: today for a draft, the day it was finalised
    /// otherwise (an on-time exemption does not lapse while it waits to be sent).
    pub(crate) fn fee_day(&self, draft: bool, events: &[hoso_store::DossierEvent]) -> CivilDate {
        if draft {
            return self.today();
        }
        events
            .iter()
            .rev()
            .find(|e| e.kind == "state:queued")
            .map_or_else(|| self.today(), |e| CivilDate::in_vietnam_at(e.at))
    }

    /// The fee of dossier `id`, with its breakdown (`hoso fee`).
    pub fn fee(&self, id: &str) -> Result<FeeInfo> {
        Ok(self.dossier(id)?.fee)
    }

    /// The portal's payment request for dossier `id` with its VietQR code (`hoso pay`).
    pub fn payment(&self, id: &str) -> Result<PaymentInfo> {
        self.dossier(id)?.payment.ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotReady,
                "the portal has not asked for a payment for this dossier (no fee, or not received yet)",
            )
        })
    }

    /// The VietQR code of dossier `id`'s payment request as a PNG, `scale` pixels per module.
    pub fn payment_qr_png(&self, id: &str, scale: u32) -> Result<Vec<u8>> {
        let p = self.payment(id)?;
        hoso_pay::qr_png(&p.vietqr, scale)
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("VietQR: {e}")))
    }
}
