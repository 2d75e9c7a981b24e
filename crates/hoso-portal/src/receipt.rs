//! Receipt codes (mã hồ sơ): what the applicant writes down or reads out at the desk.
//!
//! Format: `PREFIX-YYMMDD-NNNNNN-C`, e.g. `HS-261122-000042-K`. `YYMMDD` is the day the portal
//! received the dossier (Vietnam time), `NNNNNN` that day's running number, and `C` a check
//! letter: the digits of `YYMMDDNNNNNN` weighted 1, 2, 3, … from the left, summed, modulo 23,
//! indexing `ABCDEFGHJKLMNPQRSTUVXYZ` (no I, O or W, which are misread). A mistyped digit or
//! two swapped neighbouring digits change the letter.

const CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRSTUVXYZ";

/// The check letter of the 12 digits `YYMMDDNNNNNN`.
pub fn check_letter(digits: &str) -> char {
    let sum: u32 = digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .enumerate()
        .map(|(i, b)| (i as u32 + 1) * u32::from(b - b'0'))
        .sum();
    char::from(CHECK_LETTERS[(sum % 23) as usize])
}

/// Builds a receipt code.
pub fn format(prefix: &str, yymmdd: &str, number: u32) -> String {
    let serial = format!("{number:06}");
    let letter = check_letter(&format!("{yymmdd}{serial}"));
    format!("{prefix}-{yymmdd}-{serial}-{letter}")
}

/// True when `code` has the documented shape and a correct check letter.
pub fn is_valid(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    let [prefix, day, serial, letter] = parts.as_slice() else { return false };
    !prefix.is_empty()
        && day.len() == 6
        && serial.len() == 6
        && day.bytes().chain(serial.bytes()).all(|b| b.is_ascii_digit())
        && letter.len() == 1
        && letter.starts_with(check_letter(&format!("{day}{serial}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_documented_shape_and_catch_typos() {
        let code = format("HS", "261122", 42);
        assert!(code.starts_with("HS-261122-000042-"), "{code}");
        assert!(is_valid(&code));
        // One wrong digit, and two swapped neighbours, are caught.
        assert!(!is_valid(&code.replace("000042", "000043")));
        assert!(!is_valid(&code.replace("000042", "000024")));
        assert!(!is_valid("HS-261122-000042"));
        assert!(!is_valid("HS-2611-000042-A"));
        assert!(CHECK_LETTERS.iter().all(|c| !b"IOW".contains(c)));
    }
}
