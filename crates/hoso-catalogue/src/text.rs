//! Vietnamese text as it arrives from keyboards and as people search for it.
//!
//! Different keyboards send precomposed (NFC) or decomposed (NFD) letters; everything is stored
//! in NFC. People search without diacritics ("nguyen van" must find "Nguyễn Văn") and type `d`
//! for `đ`, so search compares folded text.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The canonical stored form of user text: NFC.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Folds text for search: no diacritics, `đ`→`d`, lower case, runs of white space as one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// True when every word of the folded query appears in the folded haystack.
pub fn matches_all_words(folded_haystack: &str, folded_query: &str) -> bool {
    folded_query.split(' ').all(|w| folded_haystack.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_and_d_bar_from_nfc_and_nfd() {
        let nfc_text = "Nguyễn Văn Đức";
        let nfd_text: String = nfc_text.nfd().collect();
        assert_ne!(nfc_text, nfd_text);
        assert_eq!(fold(nfc_text), "nguyen van duc");
        assert_eq!(fold(&nfd_text), "nguyen van duc");
        assert_eq!(fold("  ĐĂNG   KÝ\tkhai sinh "), "dang ky khai sinh");
        assert_eq!(fold("Hộ tịch"), "ho tich");
    }

    #[test]
    fn nfc_composes_decomposed_input() {
        let decomposed = "Nguye\u{0302}\u{0303}n";
        assert_eq!(nfc(decomposed), "Nguyễn");
        assert_eq!(nfc(decomposed).chars().count(), 6);
    }

    #[test]
    fn all_words_must_match() {
        assert!(matches_all_words("dang ky khai sinh", "khai dang"));
        assert!(!matches_all_words("dang ky khai sinh", "khai tu"));
    }
}
