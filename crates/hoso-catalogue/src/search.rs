//! Procedure search for the picker and the CLI.

use crate::text::{fold, matches_all_words};
use crate::{Catalogue, Procedure};

impl Catalogue {
    /// Procedures matching every word of `query`, ignoring diacritics and case (`đ` = `d`).
    ///
    /// An empty query lists everything. Results keep catalogue order (most common first),
    /// except that procedures whose name starts with the query come before the rest.
    pub fn search(&self, query: &str) -> Vec<&Procedure> {
        let q = fold(query);
        if q.is_empty() {
            return self.procedures.iter().collect();
        }
        let mut hits: Vec<&Procedure> =
            self.procedures.iter().filter(|p| matches_all_words(&p.search_key, &q)).collect();
        // A stable sort keeps the common-first order within each group.
        hits.sort_by_key(|p| !p.search_key.starts_with(&q));
        hits
    }
}

#[cfg(test)]
mod tests {
    use unicode_normalization::UnicodeNormalization;

    use crate::Catalogue;

    fn codes(c: &Catalogue, q: &str) -> Vec<String> {
        c.search(q).into_iter().map(|p| p.code.clone()).collect()
    }

    #[test]
    fn finds_without_diacritics_with_d_folding_and_in_any_normal_form() {
        let c = Catalogue::bundled();
        assert_eq!(codes(&c, "khai sinh")[0], "1.001193");
        assert_eq!(codes(&c, "dang ky khai tu"), vec!["1.007073"]);
        let nfd: String = "đăng ký kết hôn".nfd().collect();
        assert_eq!(codes(&c, &nfd), vec!["1.000894"]);
        assert_eq!(codes(&c, "ĐĂNG KÝ KẾT HÔN"), vec!["1.000894"]);
        assert_eq!(codes(&c, "1.004873"), vec!["1.004873"]);
        assert!(codes(&c, "chung thuc").contains(&"2.000815".to_owned()));
        assert!(codes(&c, "khong co thu tuc nay").is_empty());
        assert_eq!(codes(&c, "").len(), c.procedures.len());
        assert_eq!(codes(&c, "   ").len(), c.procedures.len());
    }

    #[test]
    fn name_prefix_matches_come_first() {
        let c = Catalogue::bundled();
        let hits = codes(&c, "dang ky");
        assert!(hits.len() >= 4);
        let first_non_prefix = c
            .search("dang ky")
            .iter()
            .position(|p| !crate::text::fold(&p.name).starts_with("dang ky"))
            .unwrap_or(hits.len());
        assert!(
            c.search("dang ky")[first_non_prefix..]
                .iter()
                .all(|p| !crate::text::fold(&p.name).starts_with("dang ky"))
        );
    }
}
