//! Batch intake: photos or scans in, cleaned pages grouped into records.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use hoso_scan::image::Gray;
use hoso_scan::{Mode, ScanOptions, Scanned};
use serde::{Deserialize, Serialize};

use crate::{Archive, NewPage, OcrState, RecordMeta, Result};

/// What a separator sheet's QR code starts with; the rest (after a new line) is the kind of the
/// record that follows.
pub const SEPARATOR_PREFIX: &str = "HOSO-TACH";

/// The QR payload of a separator sheet for records of `kind` (may be empty).
pub fn separator_payload(kind: &str) -> String {
    let kind = kind.trim();
    if kind.is_empty() {
        SEPARATOR_PREFIX.to_owned()
    } else {
        format!("{SEPARATOR_PREFIX}\n{kind}")
    }
}

/// How pages are grouped into records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// By separator sheets when the batch has any, otherwise by blank pages.
    #[default]
    Auto,
    /// A new record at each separator sheet (blank pages are dropped: backs of duplex scans).
    Separator,
    /// A new record after each run of blank pages.
    Blank,
    /// The whole batch is one record.
    One,
}

/// A grouping name that is not one of auto, separator, blank, one.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown grouping {0:?}: use auto, separator, blank or one")]
pub struct UnknownGrouping(pub String);

impl std::str::FromStr for Grouping {
    type Err = UnknownGrouping;
    fn from_str(s: &str) -> std::result::Result<Self, UnknownGrouping> {
        match s {
            "auto" => Ok(Self::Auto),
            "separator" => Ok(Self::Separator),
            "blank" => Ok(Self::Blank),
            "one" => Ok(Self::One),
            other => Err(UnknownGrouping(other.to_owned())),
        }
    }
}

/// How to take a batch in.
#[derive(Debug, Clone, Default)]
pub struct IntakeOptions {
    pub grouping: Grouping,
    /// Worker threads (0: all cores).
    pub threads: usize,
    /// Queue the new pages for OCR.
    pub ocr: bool,
    /// A name for the batch (the folder, usually).
    pub batch: String,
}

/// What an intake did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct IntakeReport {
    /// Files looked at.
    pub files: usize,
    /// Pages kept.
    pub pages: usize,
    /// The records made, in order.
    pub records: Vec<i64>,
    pub separators: usize,
    pub blanks: usize,
    /// Files taken in before (the same bytes), skipped.
    pub duplicates: usize,
    /// Files that could not be read, with the reason (in Vietnamese).
    pub failed: Vec<(String, String)>,
    pub ms: u64,
}

/// What one file turned out to be.
enum Seen {
    Separator(String),
    Blank,
    /// A page, its files already in the store (so a batch of hundreds of scans is never all in
    /// memory at once).
    Page(Box<NewPage>),
    Failed(String),
    Duplicate,
}

/// The share of dark pixels in a page's thumbnail above which it is not blank. A blank sheet
/// from a scanner or a phone has none after cleaning; the sparsest text page of the fixtures
/// has about 1.5 %.
const BLANK_INK: f64 = 0.002;

/// The share of a thumbnail's pixels darker than mid-grey.
fn ink_share(thumb: &[u8]) -> Option<f64> {
    let g = hoso_scan::decode::decode(thumb, false).ok()?.gray;
    let dark = g.data.iter().filter(|&&v| v < 160).count();
    Some(dark as f64 / g.data.len().max(1) as f64)
}

/// The separator payload on a photo, if it is one of HoSo's separator sheets.
fn separator_on(gray: &Gray) -> Option<String> {
    // The sheet's code is 11 cm wide: a fifth of the photo or more. About 1000 pixels a side
    // is plenty and keeps this cheap.
    let f = (gray.w.max(gray.h) / 1000).max(1);
    let small = if f > 1 { gray.shrink(f) } else { gray.clone() };
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(small.w as usize, small.h as usize, |x, y| {
            small.data[y * small.w as usize + x]
        });
    for grid in img.detect_grids() {
        if let Ok((_, content)) = grid.decode()
            && let Some(rest) = content.strip_prefix(SEPARATOR_PREFIX)
        {
            return Some(rest.trim().to_owned());
        }
    }
    None
}

/// What a look at a file found: settled already, or a page to store.
enum Looked {
    Settled(Seen),
    Page(Box<Scanned>),
}

fn look_at(bytes: &[u8]) -> Looked {
    let decoded = match hoso_scan::decode::decode(bytes, false) {
        Ok(d) => d,
        Err(e) => return Looked::Settled(Seen::Failed(e.to_string())),
    };
    if let Some(kind) = separator_on(&decoded.gray) {
        return Looked::Settled(Seen::Separator(kind));
    }
    drop(decoded);
    let opts = ScanOptions { mode: Mode::Auto, thumbnail: true, ..Default::default() };
    match hoso_scan::scan(bytes, &opts) {
        Ok(s) if ink_share(&s.thumb).is_some_and(|ink| ink < BLANK_INK) => {
            Looked::Settled(Seen::Blank)
        }
        Ok(s) => Looked::Page(Box::new(s)),
        Err(e) => Looked::Settled(Seen::Failed(e.to_string())),
    }
}

/// What grouping needs to know of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mark {
    Separator(String),
    Blank,
    Page,
    Other,
}

impl Seen {
    fn mark(&self) -> Mark {
        match self {
            Seen::Separator(k) => Mark::Separator(k.clone()),
            Seen::Blank => Mark::Blank,
            Seen::Page(_) => Mark::Page,
            Seen::Failed(_) | Seen::Duplicate => Mark::Other,
        }
    }
}

/// The records of a batch: runs of page indices with the kind their separator gave.
fn group(marks: &[Mark], grouping: Grouping) -> Vec<(String, Vec<usize>)> {
    let any_separator = marks.iter().any(|s| matches!(s, Mark::Separator(_)));
    let (by_separator, by_blank) = match grouping {
        Grouping::Auto => (any_separator, !any_separator),
        Grouping::Separator => (true, false),
        Grouping::Blank => (false, true),
        Grouping::One => (false, false),
    };
    let mut records: Vec<(String, Vec<usize>)> = Vec::new();
    let mut current: (String, Vec<usize>) = (String::new(), Vec::new());
    for (i, m) in marks.iter().enumerate() {
        match m {
            Mark::Separator(kind) if by_separator => {
                if !current.1.is_empty() {
                    records.push(std::mem::take(&mut current));
                }
                current = (kind.clone(), Vec::new());
            }
            Mark::Blank if by_blank && !current.1.is_empty() => {
                records.push(std::mem::take(&mut current));
            }
            Mark::Page => current.1.push(i),
            _ => {}
        }
    }
    if !current.1.is_empty() {
        records.push(current);
    }
    records
}

impl Archive {
    /// Takes `files` in, in the order given: cleans each page, groups the pages into records and
    /// stores them (with their original files). `progress(done, total)` is called after each
    /// file is looked at.
    pub fn digitise(
        &self,
        files: &[PathBuf],
        opts: &IntakeOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<IntakeReport> {
        let started = Instant::now();
        let threads = if opts.threads == 0 {
            std::thread::available_parallelism().map_or(2, usize::from)
        } else {
            opts.threads
        };
        let mut report = IntakeReport { files: files.len(), ..Default::default() };
        let mut seen: Vec<Option<Seen>> = (0..files.len()).map(|_| None).collect();
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::channel::<(usize, Seen)>();
        std::thread::scope(|s| {
            for _ in 0..threads.clamp(1, files.len().max(1)) {
                let tx = tx.clone();
                let next = &next;
                // One batch per thread: its scans reuse each other's pixel buffers, which
                // are freed when the folder is done.
                s.spawn(move || {
                    hoso_scan::batch(|| {
                        loop {
                            let i = next.fetch_add(1, Ordering::SeqCst);
                            let Some(path) = files.get(i) else { break };
                            let what = match std::fs::read(path) {
                                Err(e) => Seen::Failed(format!("Không đọc được tệp: {e}")),
                                Ok(bytes) => self.take(&bytes, name_of(path), opts.ocr),
                            };
                            if tx.send((i, what)).is_err() {
                                break;
                            }
                        }
                    });
                });
            }
            drop(tx);
            let mut done = 0;
            for (i, what) in rx {
                seen[i] = Some(what);
                done += 1;
                progress(done, files.len());
            }
        });
        let mut seen: Vec<Seen> = seen
            .into_iter()
            .map(|s| s.unwrap_or(Seen::Failed("không xử lý được".into())))
            .collect();
        for (i, s) in seen.iter().enumerate() {
            match s {
                Seen::Separator(_) => report.separators += 1,
                Seen::Blank => report.blanks += 1,
                Seen::Duplicate => report.duplicates += 1,
                Seen::Failed(why) => report.failed.push((name_of(&files[i]), why.clone())),
                Seen::Page(_) => {}
            }
        }
        let marks: Vec<Mark> = seen.iter().map(Seen::mark).collect();
        for (kind, pages) in group(&marks, opts.grouping) {
            let meta = RecordMeta { kind, ..Default::default() };
            let new: Vec<NewPage> = pages
                .iter()
                .filter_map(|&i| match std::mem::replace(&mut seen[i], Seen::Duplicate) {
                    Seen::Page(p) => Some(*p),
                    _ => None,
                })
                .collect();
            let id = self.insert_record(&meta, &opts.batch, &new)?;
            report.pages += new.len();
            report.records.push(id);
        }
        report.ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(report)
    }

    /// Looks at one file: a duplicate, a separator sheet, a blank page, or a page — whose
    /// original and cleaned image then go into the store at once.
    fn take(&self, bytes: &[u8], name: String, ocr: bool) -> Seen {
        let sha = hoso_store::BlobStore::hash(bytes);
        if self.has_source(&sha).unwrap_or(false) {
            return Seen::Duplicate;
        }
        let scanned = match look_at(bytes) {
            Looked::Settled(seen) => return seen,
            Looked::Page(scanned) => scanned,
        };
        let stored = self.blobs().put(bytes).and_then(|_| self.blobs().put(&scanned.page.data));
        let image_sha256 = match stored {
            Ok(sha) => sha,
            Err(e) => return Seen::Failed(format!("Không lưu được trang: {e}")),
        };
        Seen::Page(Box::new(NewPage {
            source_name: name,
            source_sha256: sha,
            image_sha256,
            byte_size: scanned.page.data.len(),
            encoding: scanned.page.encoding.as_str().to_owned(),
            width: scanned.page.width,
            height: scanned.page.height,
            dpi: scanned.page.dpi,
            thumb: scanned.thumb,
            ocr: if ocr { OcrState::Pending } else { OcrState::None },
            text: String::new(),
            words_json: "[]".into(),
        }))
    }
}

fn name_of(path: &std::path::Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `P` page, `S` separator for "Sổ hộ tịch", `s` separator without a kind, `B` blank,
    /// `x` a file that failed or was a duplicate.
    fn marks(s: &str) -> Vec<Mark> {
        s.chars()
            .map(|c| match c {
                'P' => Mark::Page,
                'S' => Mark::Separator("Sổ hộ tịch".into()),
                's' => Mark::Separator(String::new()),
                'B' => Mark::Blank,
                _ => Mark::Other,
            })
            .collect()
    }

    fn pages(g: &[(String, Vec<usize>)]) -> Vec<Vec<usize>> {
        g.iter().map(|r| r.1.clone()).collect()
    }

    #[test]
    fn separator_sheets_start_records_and_are_not_kept() {
        let g = group(&marks("SPPBPsPxP"), Grouping::Auto);
        // With separators present, blanks (duplex backs) do not cut; the failed file is skipped.
        assert_eq!(pages(&g), [vec![1, 2, 4], vec![6, 8]]);
        assert_eq!(g[0].0, "Sổ hộ tịch");
        assert_eq!(g[1].0, "");
        // Pages before the first sheet are a record of their own.
        assert_eq!(pages(&group(&marks("PSP"), Grouping::Separator)), [vec![0], vec![2]]);
        // Two sheets in a row make no empty record.
        assert_eq!(pages(&group(&marks("SSPS"), Grouping::Auto)), [vec![2]]);
    }

    #[test]
    fn grouping_names_parse_as_serde_writes_them() {
        for g in [Grouping::Auto, Grouping::Separator, Grouping::Blank, Grouping::One] {
            let name = serde_json::to_value(g).expect("json");
            assert_eq!(name.as_str().expect("name").parse::<Grouping>(), Ok(g));
        }
        assert!("blanks".parse::<Grouping>().is_err());
    }

    #[test]
    fn without_separators_runs_of_blank_pages_cut_the_batch() {
        assert_eq!(
            pages(&group(&marks("BPPBBPBP"), Grouping::Auto)),
            [vec![1, 2], vec![5], vec![7]]
        );
        assert_eq!(pages(&group(&marks("PPBP"), Grouping::One)), [vec![0, 1, 3]]);
        // Asked for blanks only, a separator sheet is still never a page.
        assert_eq!(pages(&group(&marks("PSPBP"), Grouping::Blank)), [vec![0, 2], vec![4]]);
        assert!(group(&marks("BBxs"), Grouping::Auto).is_empty());
    }
}
