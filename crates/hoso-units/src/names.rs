//! How unit names are compared: by a *core* without diacritics, type, spaces or punctuation.

use hoso_catalogue::text::{fold, nfc};

/// Unit types as written (lower case, NFC), longest first. Matched with their diacritics, so
/// "Tịnh Biên" and "Quan Hóa" (names) are not read as "tỉnh …" and "quận …" (types).
const TYPES: [&str; 9] =
    ["thành phố", "thị trấn", "đặc khu", "thị xã", "phường", "huyện", "quận", "tỉnh", "xã"];

/// Abbreviations people write: only before "." or a digit ("TP.", "P.1", "Q1").
const ABBREVIATIONS: [&str; 7] = ["tp", "tx", "tt", "p", "q", "h", "x"];

/// Lower case, NFC, runs of white space as one space, trimmed.
fn lower(s: &str) -> String {
    nfc(s).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The type `l` (from [`lower`]) starts with, and the text after it.
fn split_type(l: &str) -> (Option<&'static str>, &str) {
    for t in TYPES {
        if let Some(rest) = l.strip_prefix(t)
            && (rest.is_empty() || rest.starts_with([' ', '.']))
        {
            return (Some(t), rest);
        }
    }
    for a in ABBREVIATIONS {
        if let Some(rest) = l.strip_prefix(a)
            && rest.starts_with(|c: char| c == '.' || c.is_ascii_digit())
        {
            return (Some(a), rest);
        }
    }
    (None, l)
}

/// The type a piece of an address names, if it names one ("xã", "tp", …).
pub fn type_of(part: &str) -> Option<&'static str> {
    split_type(&lower(part)).0
}

/// Letters and digits only; a number without its leading zeros.
fn squeeze(s: &str) -> String {
    let out: String = s.chars().filter(|c| c.is_alphanumeric()).collect();
    if !out.is_empty() && out.chars().all(|c| c.is_ascii_digit()) {
        let trimmed = out.trim_start_matches('0');
        return if trimmed.is_empty() { "0".into() } else { trimmed.into() };
    }
    out
}

/// The name without its type, lower case (a type alone is kept as the name).
fn bare(name: &str) -> String {
    let l = lower(name);
    let (_, rest) = split_type(&l);
    if rest.chars().any(char::is_alphanumeric) { rest.to_owned() } else { l }
}

/// The core of a name: its type dropped, folded, letters and digits only.
/// "Phường 01" → "1", "Xã Tả Van" → "tavan", "TP. Hồ Chí Minh" → "hochiminh".
pub fn core(name: &str) -> String {
    squeeze(&fold(&bare(name)))
}

/// The cores a piece of an address may stand for: as [`core`]; with its first word taken as
/// a type even without diacritics ("xa Ta Van"); and whole ("Xa La" may be "Phường Xa La"
/// written without its type).
pub fn cores(part: &str) -> Vec<String> {
    let f = fold(part);
    let unaccented = TYPES
        .iter()
        .find_map(|t| {
            f.strip_prefix(fold(t).as_str()).filter(|rest| {
                rest.starts_with([' ', '.']) && rest.chars().any(char::is_alphanumeric)
            })
        })
        .unwrap_or(&f);
    let mut v = Vec::with_capacity(3);
    for c in [core(part), squeeze(unaccented), squeeze(&f)] {
        if !c.is_empty() && !v.contains(&c) {
            v.push(c);
        }
    }
    v
}

/// The spelling with diacritics, for telling apart names that fold alike (Cẩm Giang, Cẩm
/// Giàng): lower case, type dropped, letters and digits only.
pub fn accented(name: &str) -> String {
    bare(name).chars().filter(|c| c.is_alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn cores_drop_type_diacritics_spacing_and_leading_zeros() {
        assert_eq!(core("Phường 01"), "1");
        assert_eq!(core("P.1"), "1");
        assert_eq!(core("Q1"), "1");
        assert_eq!(core("Xã Tả Van"), "tavan");
        assert_eq!(core("tả  van"), "tavan");
        assert_eq!(core("TP. Hồ Chí Minh"), "hochiminh");
        assert_eq!(core("Thành phố Hà Nội"), "hanoi");
        assert_eq!(core("Thị xã Sa Pa"), "sapa");
        assert_eq!(core("Sapa"), "sapa");
        assert_eq!(core("Huyện Đồng Văn"), "dongvan");
        assert_eq!(
            core("Phú Xá"),
            "phuxa",
            "a name starting with a letter that abbreviates a type"
        );
        assert_eq!(core("Tịnh Biên"), "tinhbien", "a name that folds like a type");
        assert_eq!(core("Xã"), "xa", "a type alone is kept as a name");
        assert_eq!(cores("xa Ta Van"), vec!["xatavan".to_owned(), "tavan".to_owned()]);
        assert_eq!(cores("Xa La"), vec!["xala".to_owned(), "la".to_owned()]);
    }

    #[test]
    fn types_are_read_with_their_diacritics() {
        assert_eq!(type_of("Tỉnh Lào Cai"), Some("tỉnh"));
        assert_eq!(type_of("Tịnh Biên"), None);
        assert_eq!(type_of("Quan Hóa"), None);
        assert_eq!(type_of("TP. Huế"), Some("tp"));
        assert_eq!(type_of("Tphcm"), None);
    }

    #[test]
    fn accented_keeps_tones_and_drops_the_type() {
        assert_eq!(accented("Xã Cẩm Giàng"), "cẩmgiàng");
        assert_ne!(accented("Xã Cẩm Giang"), accented("Xã Cẩm Giàng"));
        let nfd: String = "Xã  Cẩm Giàng".nfd().collect();
        assert_eq!(accented(&nfd), "cẩmgiàng");
    }
}
