//! Full-text search over the pages' text and the records' details, diacritic-insensitive.

use rusqlite::{Transaction, params};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::{Archive, Result};

/// Folds text for search: no diacritics, `đ`→`d`, lower case. NFC and NFD input fold the same.
pub fn fold(s: &str) -> String {
    fold_with_map(s).0
}

/// [`fold`], and for each character of the result the index of the character of `s` it came
/// from (so a match in the folded text can be marked in the original).
pub fn fold_with_map(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        for d in std::iter::once(c).nfd() {
            if is_combining_mark(d) {
                continue;
            }
            match d {
                'đ' | 'Đ' => {
                    out.push('d');
                    map.push(i);
                }
                d => {
                    for l in d.to_lowercase() {
                        out.push(l);
                        map.push(i);
                    }
                }
            }
        }
    }
    (out, map)
}

/// The folded words of a query, as FTS5 prefix terms ANDed: `"nguyen"* "van"*`.
fn fts_query(query: &str) -> Option<(String, Vec<String>)> {
    let words: Vec<String> = fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    if words.is_empty() {
        return None;
    }
    let q = words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ");
    Some((q, words))
}

/// (Re)writes the search row of a page.
pub(crate) fn index_page(tx: &Transaction<'_>, page: i64, text: &str, meta: &str) -> Result<()> {
    tx.execute("DELETE FROM page_fts WHERE rowid = ?", [page])?;
    tx.execute(
        "INSERT INTO page_fts (rowid, body, meta) VALUES (?, ?, ?)",
        params![page, fold(text), meta],
    )?;
    Ok(())
}

/// One page found.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ArchiveHit")]
pub struct Hit {
    pub record_id: i64,
    pub page_id: i64,
    /// The page's number in its record, from 1.
    pub position: u32,
    /// The record's kind, number and people, as a title.
    pub title: String,
    /// A piece of the page's text (or of the record's details) around the first match.
    pub snippet: String,
    /// The matches in `snippet`, as `[start, end)` character ranges.
    pub marks: Vec<[usize; 2]>,
}

/// How much text a snippet shows before and after its anchor match, in characters.
const SNIPPET_BEFORE: usize = 40;
const SNIPPET_AFTER: usize = 100;

/// `text` around a match of `words` (folded) — the first match of the query's first word if
/// there is one, so a name is shown where it starts — with every match in that window marked
/// and runs of white space shown as one space.
fn snippet(text: &str, words: &[String]) -> Option<(String, Vec<[usize; 2]>)> {
    let (folded, map) = fold_with_map(text);
    let chars: Vec<char> = text.chars().collect();
    let folded_chars: Vec<char> = folded.chars().collect();
    // (folded start, folded end, which word), words matching at word starts only.
    let mut matches: Vec<(usize, usize, usize)> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let wc: Vec<char> = w.chars().collect();
        let mut i = 0;
        while i + wc.len() <= folded_chars.len() {
            let at_start = i == 0 || !folded_chars[i - 1].is_alphanumeric();
            if at_start && folded_chars[i..i + wc.len()] == wc[..] {
                matches.push((i, i + wc.len(), k));
                i += wc.len();
            } else {
                i += 1;
            }
        }
    }
    matches.sort_unstable();
    let anchor = matches.iter().find(|m| m.2 == 0).or_else(|| matches.first())?;
    // Back to the original's characters: from the source of the start to the source of the end.
    let to_orig = |&(s, e, _): &(usize, usize, usize)| (map[s], map[e - 1] + 1);
    let (a_start, a_end) = to_orig(anchor);
    let from = a_start.saturating_sub(SNIPPET_BEFORE);
    let to = (a_end + SNIPPET_AFTER).min(chars.len());
    let mut out = String::new();
    let mut at = Vec::with_capacity(to - from + 1); // snippet index of each original index
    if from > 0 {
        out.push('…');
    }
    let mut n = out.chars().count();
    let mut last_space = true;
    for &c in &chars[from..to] {
        at.push(n);
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                n += 1;
            }
            last_space = true;
        } else {
            out.push(c);
            n += 1;
            last_space = false;
        }
    }
    at.push(n);
    if to < chars.len() {
        out.push('…');
    }
    let marks = matches
        .iter()
        .map(to_orig)
        .filter(|&(s, e)| s >= from && e <= to)
        .map(|(s, e)| [at[s - from], at[e - from]])
        .collect();
    Some((out, marks))
}

impl Archive {
    /// Pages whose text or record details hold every word of `query` (as a word start, without
    /// diacritics: `nguyen van duc` finds `Nguyễn Văn Đức`), at most `limit`: first the pages
    /// with the words in the order typed (a name as written), best first (bm25); then the other
    /// pages with all the words, most recently taken in first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let Some((all, words)) = fts_query(query) else { return Ok(Vec::new()) };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let db = self.db();
        let mut ids: Vec<i64> = Vec::new();
        if words.len() > 1 {
            let phrase = format!("\"{}\"*", words.join(" "));
            let mut st = db.prepare_cached(
                "SELECT rowid FROM page_fts WHERE page_fts MATCH ? ORDER BY rank LIMIT ?",
            )?;
            ids = st
                .query_map(params![phrase, limit], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
        }
        if (ids.len() as i64) < limit {
            // Ordered by rowid, FTS5 stops after `limit` rows instead of ranking every match.
            let mut st = db.prepare_cached(
                "SELECT rowid FROM page_fts WHERE page_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            )?;
            let more: Vec<i64> = st
                .query_map(params![all, limit + ids.len() as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in more {
                if ids.len() as i64 >= limit {
                    break;
                }
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        let mut st = db.prepare_cached(
            "SELECT p.id, p.record_id, p.position, p.ocr_text, p.source_name,
                    r.kind, r.number, r.date, r.people, r.tags
             FROM page p JOIN record r ON r.id = p.record_id WHERE p.id = ?",
        )?;
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            rows.push(st.query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    crate::RecordMeta::from_row(r, 5)?,
                ))
            }));
        }
        let mut hits = Vec::new();
        for row in rows {
            let (page_id, record_id, position, text, source, meta) = row?;
            let details = [&meta.kind, &meta.number, &meta.date, &meta.people, &meta.tags, &source]
                .iter()
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" · ");
            let (snippet, marks) = snippet(&text, &words)
                .or_else(|| snippet(&details, &words))
                .unwrap_or_else(|| (text.chars().take(SNIPPET_AFTER).collect(), Vec::new()));
            let title = crate::record_title(&crate::Record {
                id: record_id,
                meta,
                batch: String::new(),
                created_at: 0,
                pages: Vec::new(),
            });
            hits.push(Hit { record_id, page_id, position, title, snippet, marks });
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_and_nfd_fold_alike_and_the_map_points_back() {
        let nfc = "Nguyễn Văn Đức";
        let nfd: String = nfc.nfd().collect();
        assert_eq!(fold(nfc), "nguyen van duc");
        assert_eq!(fold(&nfd), "nguyen van duc");
        let (f, map) = fold_with_map(&nfd);
        assert_eq!(f.chars().count(), map.len());
        // "duc" starts at the original's "Đ" (NFD keeps Đ as one character).
        let d = f.find("duc").expect("duc");
        let orig: Vec<char> = nfd.chars().collect();
        assert_eq!(orig[map[d]], 'Đ');
    }

    #[test]
    fn snippets_mark_matches_in_the_original_text() {
        let text = "Họ và tên: Nguyễn Văn Đức\nSinh ngày 01/01/1973 tại xã Đông Hưng";
        let words = vec!["duc".to_owned(), "dong".to_owned()];
        let (s, marks) = snippet(text, &words).expect("found");
        let chars: Vec<char> = s.chars().collect();
        let marked: Vec<String> =
            marks.iter().map(|[a, b]| chars[*a..*b].iter().collect()).collect();
        assert_eq!(marked, ["Đức", "Đông"]);
        // The anchor is the query's first word, so the name shows where it starts.
        let long = format!(
            "{}Ủy ban nhân dân huyện An Biên\n\nÔng/Bà: Hoàng Thị Mỹ Huyền\nSinh ngày",
            "x ".repeat(80)
        );
        let q: Vec<String> = ["hoang", "thi", "my", "huyen"].map(String::from).to_vec();
        let (s, marks) = snippet(&long, &q).expect("found");
        assert!(s.starts_with('…') && s.contains("Bà: Hoàng Thị Mỹ Huyền Sinh"), "{s}");
        assert!(!s.contains("  "), "{s}");
        let chars: Vec<char> = s.chars().collect();
        let marked: Vec<String> =
            marks.iter().map(|[a, b]| chars[*a..*b].iter().collect()).collect();
        assert_eq!(marked, ["huyện", "Hoàng", "Thị", "Mỹ", "Huyền"]);
        // Inside a word is not a match.
        assert!(snippet("Hoa Đức", &["uc".to_owned()]).is_none());
    }

    #[test]
    fn queries_become_prefix_terms_and_cannot_inject_syntax() {
        assert_eq!(
            fts_query("Nguyễn  van\"").map(|q| q.0).as_deref(),
            Some("\"nguyen\"* \"van\"*")
        );
        assert_eq!(
            fts_query("NEAR(a b) OR -x").map(|q| q.0).as_deref(),
            Some("\"near\"* \"a\"* \"b\"* \"or\"* \"x\"*")
        );
        assert!(fts_query(" ,.; ").is_none());
    }
}
