//! An address written with the units before the 2025 reform, put in its new form.
//!
//! The address is read from its end: province, then district, then commune; what comes before
//! the commune (house number, street, hamlet) is kept as written. A piece that names its type
//! ("Phường …", "Huyện …") is only taken for a unit of that level. When the district is missing
//! or has since been renamed, the commune is looked for in the whole old province. An address
//! already in the new form (commune directly under one of the 34 provinces) is left alone.

use crate::names::{accented, core, cores, type_of};
use crate::{Commune, OldDistrict, OldProvince, OldWard, Units};
use serde::Serialize;

/// An old address in its new form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Converted {
    /// The whole new address: what came before the commune, the commune, the province.
    pub address: String,
    /// House number, street, hamlet… as written.
    pub detail: String,
    pub commune_code: String,
    pub commune: String,
    pub province_code: String,
    pub province: String,
    /// The old units as the data names them: "Xã Tả Van, Thị xã Sa Pa, Tỉnh Lào Cai".
    pub old: String,
    /// When the old commune was split: the other new communes part of it went to
    /// ("Xã …, Tỉnh …"), for the person to choose if theirs is one of them.
    pub split: Vec<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Level {
    Province,
    District,
    Commune,
}

/// Whether a piece may name a unit of `level`: yes unless it names a type of another level.
fn level_ok(part: &str, level: Level) -> bool {
    let Some(t) = type_of(part) else { return true };
    match level {
        Level::Province => matches!(t, "tỉnh" | "thành phố" | "tp"),
        Level::District => {
            matches!(t, "quận" | "huyện" | "thị xã" | "thành phố" | "tp" | "tx" | "q" | "h")
        }
        Level::Commune => matches!(t, "phường" | "xã" | "thị trấn" | "đặc khu" | "tt" | "p" | "x"),
    }
}

/// A unit's name and its core.
trait Named {
    fn name(&self) -> &str;
    fn core(&self) -> &str;
}

macro_rules! named {
    ($($t:ty),*) => {$(
        impl Named for $t {
            fn name(&self) -> &str {
                &self.name
            }
            fn core(&self) -> &str {
                &self.core
            }
        }
    )*};
}
named!(Commune, OldProvince, OldDistrict, OldWard);

impl<T: Named> Named for (&T, &str) {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn core(&self) -> &str {
        self.0.core()
    }
}

/// Whether `part` may name any of `items` (one or several).
fn names_any<T: Named>(items: &[T], part: &str, level: Level) -> bool {
    let wanted = cores(part);
    level_ok(part, level) && items.iter().any(|i| wanted.iter().any(|w| w == i.core()))
}

/// The one item `part` names, if exactly one (after telling accents and types apart).
fn find<'a, T: Named>(items: &'a [T], part: &str, level: Level) -> Option<&'a T> {
    if !level_ok(part, level) {
        return None;
    }
    let wanted = cores(part);
    let found: Vec<&T> = items.iter().filter(|i| wanted.iter().any(|w| w == i.core())).collect();
    match found.as_slice() {
        [one] => Some(one),
        [] => None,
        many => {
            // Same letters: the tones decide (Cẩm Giang, Cẩm Giàng), then the type (Thị trấn
            // Yên Viên, Xã Yên Viên).
            let a = accented(part);
            let exact: Vec<&T> = many.iter().copied().filter(|i| accented(i.name()) == a).collect();
            let pool = if exact.is_empty() { many.to_vec() } else { exact };
            if let [one] = pool.as_slice() {
                return Some(one);
            }
            let t = type_of(part)?;
            let typed: Vec<&T> =
                pool.into_iter().filter(|i| type_of(i.name()) == Some(t)).collect();
            match typed.as_slice() {
                [one] => Some(one),
                _ => None,
            }
        }
    }
}

/// Province names people still write that the data no longer carries: short forms, and
/// Thừa Thiên Huế (named Huế since 1 January 2025, before the reform).
const ALIASES: [(&str, &str); 7] = [
    ("hn", "01"),
    ("tphn", "01"),
    ("hcm", "79"),
    ("tphcm", "79"),
    ("saigon", "79"),
    ("thuathienhue", "46"),
    ("brvt", "77"),
];

fn by_alias<'a>(units: &'a Units, part: &str) -> Option<&'a OldProvince> {
    let wanted = cores(part);
    let code = ALIASES.iter().find(|(alias, _)| wanted.iter().any(|c| c == alias))?.1;
    units.legacy().iter().find(|p| p.code == code)
}

pub(crate) fn convert(units: &Units, address: &str) -> Option<Converted> {
    let mut parts: Vec<&str> =
        address.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.last().is_some_and(|p| core(p) == "vietnam") {
        parts.pop();
    }
    let n = parts.len();
    if n < 2 {
        return None;
    }
    let province = find(units.legacy(), parts[n - 1], Level::Province)
        .or_else(|| by_alias(units, parts[n - 1]))?;

    // Already new: a commune of the province it is now part of, straight under it.
    if let Some(now) = units.province(&province.to)
        && core(&now.name) == core(parts[n - 1])
        && find(&now.communes, parts[n - 2], Level::Commune).is_some()
        && !names_any(&province.districts, parts[n - 2], Level::District)
    {
        return None;
    }

    // (old ward or island district name, its district's name, new codes, pieces used)
    let all: Vec<(&OldWard, &str)> = province
        .districts
        .iter()
        .flat_map(|d| d.wards.iter().map(move |w| (w, d.name.as_str())))
        .collect();
    let mut hit: Option<(&str, &str, &[String], usize)> = None;
    if let Some(d) = find(&province.districts, parts[n - 2], Level::District) {
        // The district is known: the commune is one of its own — or, on a card issued before
        // the commune was moved to another district (Mường Phăng, from huyện Điện Biên to the
        // city of Điện Biên Phủ in 2024), the one commune of that name in the province.
        let ward = (n >= 3).then(|| find(&d.wards, parts[n - 3], Level::Commune));
        match ward.flatten() {
            Some(w) => hit = Some((&w.name, &d.name, &w.to, 3)),
            None if !d.to.is_empty() => hit = Some(("", &d.name, &d.to, 2)),
            None if n >= 3 => {
                // Only a name no other commune of the province shares: the move may also have
                // changed its type (xã → phường), so types cannot tell two apart here.
                let wanted = cores(parts[n - 3]);
                let mut same = all.iter().filter(|(w, _)| wanted.contains(&w.core));
                let (Some(&(w, moved_to)), None) = (same.next(), same.next()) else {
                    return None;
                };
                if !level_ok(parts[n - 3], Level::Commune) {
                    return None;
                }
                hit = Some((&w.name, moved_to, &w.to, 3));
            }
            None => return None,
        }
    } else {
        // The district left out, or named as it was before a recent change: the commune is
        // looked for in the whole province, just before the province or one piece earlier.
        for used in [2, 3] {
            if n < used {
                break;
            }
            if let Some(&(w, d)) = find(&all, parts[n - used], Level::Commune) {
                hit = Some((&w.name, d, &w.to, used));
                break;
            }
        }
    }
    let (ward, district, to, used) = hit?;
    let (new_province, commune) = units.commune(to.first()?)?;
    let detail = parts[..n - used].join(", ");
    let mut pieces: Vec<&str> = parts[..n - used].to_vec();
    pieces.push(&commune.name);
    pieces.push(&new_province.name);
    let new_address = pieces.join(", ");
    if hoso_catalogue::text::fold(&new_address) == hoso_catalogue::text::fold(&parts.join(", ")) {
        return None;
    }
    let old = [ward, district, province.name.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let split = to[1..]
        .iter()
        .filter_map(|code| units.commune(code))
        .map(|(p, c)| format!("{}, {}", c.name, p.name))
        .collect();
    Some(Converted {
        address: new_address,
        detail,
        commune_code: commune.code.clone(),
        commune: commune.name.clone(),
        province_code: new_province.code.clone(),
        province: new_province.name.clone(),
        old,
        split,
    })
}
