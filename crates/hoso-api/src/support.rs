//! The commune's one-stop desk (bộ phận một cửa) that people call for help: set once in
//! Settings by the official who installs HoSo, shown on the "Gọi hỗ trợ" card of the help page.
//! Kept in the store (`kv`), so it travels with the data folder.

use crate::types::SupportDesk;
use crate::{ApiError, ErrorCode, Hoso, Result};

const DESK_KEY: &str = "support.desk";
/// Each field's longest length, in characters.
const MAX_CHARS: usize = 200;

impl Hoso {
    /// The desk's details; all empty until set.
    pub fn support_desk(&self) -> Result<SupportDesk> {
        let stored = self.store().kv(DESK_KEY).map_err(|e| self.store_err(e))?;
        Ok(stored.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
    }

    /// Sets the desk's details (trimmed, NFC). A phone number keeps only digits, spaces, dots
    /// and a leading +, and needs 8 to 15 digits; an empty one is allowed.
    pub fn set_support_desk(&self, desk: &SupportDesk) -> Result<SupportDesk> {
        let clean = |s: &str| hoso_catalogue::text::nfc(s.trim());
        let desk = SupportDesk {
            name: clean(&desk.name),
            phone: clean(&desk.phone),
            address: clean(&desk.address),
            hours: clean(&desk.hours),
        };
        for (what, v) in [
            ("name", &desk.name),
            ("phone", &desk.phone),
            ("address", &desk.address),
            ("hours", &desk.hours),
        ] {
            if v.chars().count() > MAX_CHARS {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("the {what} is longer than {MAX_CHARS} characters"),
                ));
            }
        }
        let digits = desk.phone.chars().filter(char::is_ascii_digit).count();
        let allowed = desk
            .phone
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || c == ' ' || c == '.' || (c == '+' && i == 0));
        if !desk.phone.is_empty() && (!allowed || !(8..=15).contains(&digits)) {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "the phone number must have 8 to 15 digits",
            ));
        }
        let json = serde_json::to_string(&desk)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        self.store().set_kv(DESK_KEY, Some(&json)).map_err(|e| self.store_err(e))?;
        Ok(desk)
    }
}
