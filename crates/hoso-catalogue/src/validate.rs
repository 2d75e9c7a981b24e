//! Validation of form values: the one place that decides whether an answer is acceptable.
//!
//! The UI shows the result next to each field and the list shows how many items are missing;
//! both come from here, so the desktop, the CLI and later the outbox agree.

use std::collections::BTreeMap;

use crate::civil_date::{CivilDate, DateError};
use crate::{Field, FieldKind, Procedure};

/// A dossier's form values by field key, in NFC.
pub type Values = BTreeMap<String, String>;

/// What is wrong with one field. The UI words each code in Vietnamese with the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IssueCode {
    /// A required field is empty.
    Required,
    /// Longer than the field allows.
    TooLong,
    /// A name contains something other than letters, spaces, `'` or `-`.
    NameChars,
    /// Not written dd/mm/yyyy.
    DateFormat,
    /// dd/mm/yyyy but no such day.
    DateInvalid,
    /// A date after today.
    DateFuture,
    /// A CCCD number that is not 12 digits.
    CccdFormat,
    /// The first three digits are not a province code.
    CccdProvince,
    /// The 4th digit's century disagrees with the year of birth.
    CccdCentury,
    /// The 5th–6th digits disagree with the year of birth.
    CccdYear,
    /// The 4th digit's sex disagrees with the sex field.
    CccdSex,
    /// A phone number that is not 10 digits.
    PhoneFormat,
    /// 10 digits, but not a Vietnamese mobile prefix (03, 05, 07, 08, 09).
    PhonePrefix,
    EmailFormat,
    /// Not one of the offered choices.
    NotAnOption,
    /// Not a whole number.
    NumberFormat,
    /// A whole number outside the allowed range.
    NumberRange,
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub key: String,
    pub code: IssueCode,
}

const MAX_NAME_CHARS: usize = 100;
const MAX_TEXT_CHARS: usize = 500;

/// First three digits of a 12-digit personal identification number: the code of the province
/// where the birth was registered (the 63 provinces before the 2025 merger, which issued every
/// number in circulation; Circular 07/2016/TT-BCA, Annex I).
const CCCD_PROVINCES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// Checks every field of `procedure` against `values`; at most one issue per field, in form order.
pub fn validate(procedure: &Procedure, values: &Values, today: CivilDate) -> Vec<FieldIssue> {
    procedure
        .fields()
        .filter_map(|f| {
            let value = values.get(&f.key).map_or("", |v| v.trim());
            check(f, value, values, today).map(|code| FieldIssue { key: f.key.clone(), code })
        })
        .collect()
}

fn check(field: &Field, value: &str, values: &Values, today: CivilDate) -> Option<IssueCode> {
    if value.is_empty() {
        return field.required.then_some(IssueCode::Required);
    }
    let chars = value.chars().count();
    match field.kind {
        FieldKind::FullName => {
            if chars > MAX_NAME_CHARS {
                Some(IssueCode::TooLong)
            } else if !value.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '-')
            {
                Some(IssueCode::NameChars)
            } else {
                None
            }
        }
        FieldKind::Text | FieldKind::Address => {
            (chars > MAX_TEXT_CHARS).then_some(IssueCode::TooLong)
        }
        FieldKind::Date => check_date(value, today),
        FieldKind::Sex => (value != "Nam" && value != "Nữ").then_some(IssueCode::NotAnOption),
        FieldKind::Select => {
            (!field.options.iter().any(|o| o == value)).then_some(IssueCode::NotAnOption)
        }
        FieldKind::Phone => check_phone(value),
        FieldKind::Email => (!looks_like_email(value)).then_some(IssueCode::EmailFormat),
        FieldKind::Number => check_number(value, field.min, field.max),
        FieldKind::Cccd => {
            let subject = field.subject();
            let related = |name: &str| {
                values.get(&format!("{subject}.{name}")).map(|v| v.trim()).filter(|v| !v.is_empty())
            };
            check_cccd(value, related("dob"), related("sex"))
        }
    }
}

fn check_date(value: &str, today: CivilDate) -> Option<IssueCode> {
    match CivilDate::parse_vn(value) {
        Err(DateError::Format) => Some(IssueCode::DateFormat),
        Err(DateError::NoSuchDay) => Some(IssueCode::DateInvalid),
        Ok(d) if d > today => Some(IssueCode::DateFuture),
        Ok(_) => None,
    }
}

/// Mobile numbers are written with spaces or dots as people like; `+84` stands for the leading 0.
fn check_phone(value: &str) -> Option<IssueCode> {
    let compact: String = value.chars().filter(|c| *c != ' ' && *c != '.').collect();
    let local = match compact.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => compact,
    };
    if local.len() != 10 || !local.bytes().all(|b| b.is_ascii_digit()) {
        return Some(IssueCode::PhoneFormat);
    }
    let prefix_ok = matches!(&local[..2], "03" | "05" | "07" | "08" | "09");
    (!prefix_ok).then_some(IssueCode::PhonePrefix)
}

fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && !value.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

fn check_number(value: &str, min: Option<i64>, max: Option<i64>) -> Option<IssueCode> {
    let Ok(n) = value.parse::<i64>() else { return Some(IssueCode::NumberFormat) };
    let below = min.is_some_and(|m| n < m);
    let above = max.is_some_and(|m| n > m);
    (below || above).then_some(IssueCode::NumberRange)
}

/// A 12-digit number: province (3), sex and century (1), year of birth (2), serial (6).
/// The 4th digit is 0/1 for a man/woman born 1900–1999, 2/3 for 2000–2099, and so on by century.
/// `dob` is dd/mm/yyyy; `sex` is "Nam" or "Nữ". The first disagreement found, if any.
pub fn check_cccd(value: &str, dob: Option<&str>, sex: Option<&str>) -> Option<IssueCode> {
    let b = value.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return Some(IssueCode::CccdFormat);
    }
    let digit = |i: usize| u16::from(b[i] - b'0');
    let province = digit(0) * 100 + digit(1) * 10 + digit(2);
    if !CCCD_PROVINCES.contains(&province) {
        return Some(IssueCode::CccdProvince);
    }
    let sex_century = digit(3);
    let century_start = 1900 + i32::from(sex_century / 2) * 100;
    if let Some(dob) = dob.and_then(|d| CivilDate::parse_vn(d).ok()) {
        if dob.year < century_start || dob.year >= century_start + 100 {
            return Some(IssueCode::CccdCentury);
        }
        let yy = digit(4) * 10 + digit(5);
        if i32::from(yy) != dob.year % 100 {
            return Some(IssueCode::CccdYear);
        }
    }
    let card_sex = if sex_century % 2 == 0 { "Nam" } else { "Nữ" };
    match sex {
        Some(s) if (s == "Nam" || s == "Nữ") && s != card_sex => Some(IssueCode::CccdSex),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalogue;

    fn today() -> CivilDate {
        CivilDate::new(2026, 11, 22).expect("date")
    }

    fn issues(code: &str, pairs: &[(&str, &str)]) -> Vec<(String, IssueCode)> {
        let cat = Catalogue::bundled();
        let p = cat.procedure(code).expect("procedure");
        let values: Values =
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        validate(p, &values, today()).into_iter().map(|i| (i.key, i.code)).collect()
    }

    fn issue_of(pairs: &[(&str, &str)], key: &str) -> Option<IssueCode> {
        issues("1.004873", pairs).into_iter().find(|(k, _)| k == key).map(|(_, c)| c)
    }

    const GOOD: [(&str, &str); 8] = [
        ("applicant.full_name", "Nguyễn Thị Hoa"),
        ("applicant.cccd", "001190012345"),
        ("applicant.dob", "05/09/1990"),
        ("applicant.sex", "Nữ"),
        ("applicant.address", "Thôn 3, xã Tả Van, tỉnh Lào Cai"),
        ("applicant.phone", "0912 345 678"),
        ("marital.status", "Đã ly hôn"),
        ("marital.purpose", "Để đăng ký kết hôn"),
    ];

    #[test]
    fn a_complete_valid_form_has_no_issues() {
        assert_eq!(issues("1.004873", &GOOD), vec![]);
    }

    #[test]
    fn empty_form_lists_every_required_field_once_in_form_order() {
        let got = issues("1.004873", &[]);
        let keys: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "applicant.full_name",
                "applicant.cccd",
                "applicant.dob",
                "applicant.sex",
                "applicant.address",
                "applicant.phone",
                "marital.status",
                "marital.purpose"
            ]
        );
        assert!(got.iter().all(|(_, c)| *c == IssueCode::Required));
        // Whitespace alone is empty.
        assert_eq!(
            issue_of(&[("applicant.full_name", "   ")], "applicant.full_name"),
            Some(IssueCode::Required)
        );
    }

    /// The good form with `key` set to `value` (added when the good form lacks it).
    fn with<'a>(key: &'a str, value: &str) -> Vec<(&'a str, String)> {
        let mut pairs: Vec<(&str, String)> =
            GOOD.iter().filter(|(k, _)| *k != key).map(|(k, v)| (*k, (*v).to_owned())).collect();
        pairs.push((key, value.to_owned()));
        pairs
    }

    fn issue_with(key: &str, value: &str, field: &str) -> Option<IssueCode> {
        let pairs = with(key, value);
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        issue_of(&borrowed, field)
    }

    #[test]
    fn cccd_checks_length_province_century_year_and_sex() {
        let f = "applicant.cccd";
        assert_eq!(issue_with(f, "00119001234", f), Some(IssueCode::CccdFormat));
        assert_eq!(issue_with(f, "00119001234a", f), Some(IssueCode::CccdFormat));
        assert_eq!(issue_with(f, "0011900123456", f), Some(IssueCode::CccdFormat));
        assert_eq!(issue_with(f, "003190012345", f), Some(IssueCode::CccdProvince));
        assert_eq!(issue_with(f, "099190012345", f), Some(IssueCode::CccdProvince));
        // 4th digit 3: a woman born 2000–2099, but the date of birth is 1990.
        assert_eq!(issue_with(f, "001390012345", f), Some(IssueCode::CccdCentury));
        // Year digits 91 against a 1990 birth.
        assert_eq!(issue_with(f, "001191012345", f), Some(IssueCode::CccdYear));
        // 4th digit 0: a man, but the form says Nữ.
        assert_eq!(issue_with(f, "001090012345", f), Some(IssueCode::CccdSex));
        assert_eq!(issue_with(f, "096190012345", f), None);
        // A child born in 2005 has century digit 2 (boy) or 3 (girl).
        let child = [
            ("applicant.cccd", "079305001234"),
            ("applicant.dob", "01/01/2005"),
            ("applicant.sex", "Nữ"),
        ];
        assert_eq!(issue_of(&child, f), None);
        // Without date of birth or sex, only the number itself is checked.
        assert_eq!(issue_of(&[("applicant.cccd", "079305001234")], f), None);
    }

    #[test]
    fn phone_needs_ten_digits_and_a_mobile_prefix() {
        let f = "applicant.phone";
        assert_eq!(issue_with(f, "0912345678", f), None);
        assert_eq!(issue_with(f, "+84 912 345 678", f), None);
        assert_eq!(issue_with(f, "0912.345.678", f), None);
        assert_eq!(issue_with(f, "091234567", f), Some(IssueCode::PhoneFormat));
        assert_eq!(issue_with(f, "09123456789", f), Some(IssueCode::PhoneFormat));
        assert_eq!(issue_with(f, "09123x5678", f), Some(IssueCode::PhoneFormat));
        assert_eq!(issue_with(f, "0212345678", f), Some(IssueCode::PhonePrefix));
        assert_eq!(issue_with(f, "0612345678", f), Some(IssueCode::PhonePrefix));
        for ok in ["0312345678", "0512345678", "0712345678", "0812345678"] {
            assert_eq!(issue_with(f, ok, f), None, "{ok}");
        }
    }

    #[test]
    fn dates_are_dd_mm_yyyy_real_and_not_in_the_future() {
        let f = "applicant.dob";
        assert_eq!(issue_with(f, "1990-09-05", f), Some(IssueCode::DateFormat));
        assert_eq!(issue_with(f, "31/02/1990", f), Some(IssueCode::DateInvalid));
        assert_eq!(issue_with(f, "23/11/2026", f), Some(IssueCode::DateFuture));
        // Today itself is allowed (the CCCD check then flags the year, not the date).
        assert_ne!(issue_with(f, "22/11/2026", f), Some(IssueCode::DateFuture));
    }

    #[test]
    fn names_allow_vietnamese_letters_only_and_have_a_length_limit() {
        let f = "applicant.full_name";
        assert_eq!(issue_with(f, "Đặng Thị Ngọc Ánh", f), None);
        assert_eq!(issue_with(f, "H'Hen Niê", f), None);
        assert_eq!(issue_with(f, "<script>alert(1)</script>", f), Some(IssueCode::NameChars));
        assert_eq!(issue_with(f, "Hoa 🌸", f), Some(IssueCode::NameChars));
        assert_eq!(issue_with(f, &"a".repeat(101), f), Some(IssueCode::TooLong));
        let addr = "applicant.address";
        assert_eq!(issue_with(addr, &"x".repeat(500), addr), None);
        assert_eq!(issue_with(addr, &"x".repeat(501), addr), Some(IssueCode::TooLong));
    }

    #[test]
    fn choices_emails_and_numbers() {
        assert_eq!(
            issue_with("applicant.sex", "Khác", "applicant.sex"),
            Some(IssueCode::NotAnOption)
        );
        assert_eq!(
            issue_with("marital.status", "Ế", "marital.status"),
            Some(IssueCode::NotAnOption)
        );
        for (email, want) in [
            ("hoa@example.vn", None),
            ("hoa@localhost", Some(IssueCode::EmailFormat)),
            ("hoa example.vn", Some(IssueCode::EmailFormat)),
            ("@example.vn", Some(IssueCode::EmailFormat)),
            ("a@b@c.vn", Some(IssueCode::EmailFormat)),
            ("a@b..vn", Some(IssueCode::EmailFormat)),
        ] {
            assert_eq!(issue_with("applicant.email", email, "applicant.email"), want, "{email}");
        }
        let copy = |pages: &str| {
            issues("2.000815", &[("document.pages", pages)])
                .into_iter()
                .find(|(k, _)| k == "document.pages")
                .map(|(_, c)| c)
        };
        assert_eq!(copy("3"), None);
        assert_eq!(copy("0"), Some(IssueCode::NumberRange));
        assert_eq!(copy("501"), Some(IssueCode::NumberRange));
        assert_eq!(copy("ba"), Some(IssueCode::NumberFormat));
        assert_eq!(copy("2.5"), Some(IssueCode::NumberFormat));
    }
}
