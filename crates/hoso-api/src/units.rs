//! Administrative units after the 2025 reform for the address picker, and old addresses in
//! their new form (see `hoso-units`). No data directory is needed: the units are bundled.

use crate::Hoso;
use crate::types::{AddressNew, UnitHit, UnitProvince};

/// At most this many communes are returned for one search.
pub const SEARCH_LIMIT: usize = 60;

impl Hoso {
    /// The 34 provinces, by code.
    pub fn unit_provinces(&self) -> Vec<UnitProvince> {
        hoso_units::units()
            .provinces()
            .iter()
            .map(|p| UnitProvince {
                code: p.code.clone(),
                name: p.name.clone(),
                communes: p.communes.len() as u32,
            })
            .collect()
    }

    /// Communes matching `query` (diacritics and case ignored), within `province` if given.
    pub fn unit_search(&self, query: &str, province: Option<&str>) -> Vec<UnitHit> {
        hoso_units::units()
            .search(query, province, SEARCH_LIMIT)
            .into_iter()
            .map(|h| UnitHit {
                province_code: h.province_code,
                province: h.province,
                commune_code: h.commune_code,
                commune: h.commune,
            })
            .collect()
    }

    /// `address` in its new form, when it is written with the units before the reform.
    pub fn address_new(&self, address: &str) -> Option<AddressNew> {
        hoso_units::units().convert(address).map(|c| AddressNew {
            split: c
                .split
                .iter()
                .map(|s| if c.detail.is_empty() { s.clone() } else { format!("{}, {s}", c.detail) })
                .collect(),
            address: c.address,
            detail: c.detail,
            commune_code: c.commune_code,
            commune: c.commune,
            province_code: c.province_code,
            province: c.province,
            old: c.old,
        })
    }
}
