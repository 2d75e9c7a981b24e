//! Reading pages with Tesseract (`tesseract-ocr-vie` from Debian), in the background.
//!
//! Each core reads one page at a time (`OMP_THREAD_LIMIT=1`: Tesseract's own threads only
//! fight over the same cores). A page's words are committed as soon as it is read; the queue is
//! the pages still `pending`, so after a kill the next run starts where this one stopped.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use hoso_pdf::Word;
use hoso_scan::Encoding;
use image::ImageEncoder;
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::{Archive, Error, Result, now_ms, search};

/// What a background reading did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OcrReport {
    /// Pages read in this run.
    pub read: usize,
    pub failed: usize,
    /// Pages still waiting (cancelled before them).
    pub left: usize,
    pub cancelled: bool,
    pub ms: u64,
}

/// Whether `tesseract` with the Vietnamese data is installed.
pub fn tesseract_available() -> bool {
    Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "vie"))
}

#[derive(Serialize, Deserialize)]
struct StoredWord {
    t: String,
    b: [u32; 4],
}

pub(crate) fn words_from_json(json: &str) -> Vec<Word> {
    serde_json::from_str::<Vec<StoredWord>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|w| Word { text: w.t, x0: w.b[0], y0: w.b[1], x1: w.b[2], y1: w.b[3] })
        .collect()
}

fn words_to_json(words: &[Word]) -> String {
    let stored: Vec<StoredWord> = words
        .iter()
        .map(|w| StoredWord { t: w.text.clone(), b: [w.x0, w.y0, w.x1, w.y1] })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".into())
}

/// A page's words and its text: words joined by spaces within a line, lines by new lines, and
/// an empty line between blocks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Read {
    pub words: Vec<Word>,
    pub text: String,
}

/// Parses Tesseract's TSV output.
pub(crate) fn parse_tsv(tsv: &str) -> Read {
    let mut words = Vec::new();
    let mut text = String::new();
    let mut last_line: Option<(u32, u32, u32)> = None;
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let word = f[11].trim();
        let conf: f64 = f[10].parse().unwrap_or(-1.0);
        if word.is_empty() || conf < 0.0 {
            continue;
        }
        let n = |i: usize| f[i].parse::<u32>().unwrap_or(0);
        let line = (n(2), n(3), n(4));
        match last_line {
            Some(l) if l == line => text.push(' '),
            Some(l) if l.0 != line.0 => text.push_str("\n\n"),
            Some(_) => text.push('\n'),
            None => {}
        }
        last_line = Some(line);
        let word = hoso_catalogue::text::nfc(word);
        text.push_str(&word);
        let (x, y, w, h) = (n(6), n(7), n(8), n(9));
        words.push(Word { text: word, x0: x, y0: y, x1: x + w, y1: y + h });
    }
    Read { words, text }
}

/// A little-endian TIFF holding a CCITT G4 strip as it is (Tesseract reads it through
/// Leptonica), with its resolution.
pub(crate) fn g4_tiff(data: &[u8], width: u32, height: u32, dpi: u32) -> Vec<u8> {
    // Header, then the IFD right after it, then the two resolution rationals, then the data.
    const ENTRIES: u16 = 11;
    let ifd_len = 2 + 12 * u32::from(ENTRIES) + 4;
    let rational_at = 8 + ifd_len;
    let data_at = rational_at + 16;
    let mut out = Vec::with_capacity(data_at as usize + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&ENTRIES.to_le_bytes());
    let mut entry = |tag: u16, kind: u16, value: u32| {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if kind == 3 {
            // SHORT, left-justified in the value field.
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    };
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    entry(256, 4, width); // ImageWidth
    entry(257, 4, height); // ImageLength
    entry(258, 3, 1); // BitsPerSample
    entry(259, 3, 4); // Compression: CCITT T.6
    entry(262, 3, 0); // Photometric: WhiteIsZero (1 = black)
    entry(273, 4, data_at); // StripOffsets
    entry(278, 4, height); // RowsPerStrip
    entry(279, 4, len); // StripByteCounts
    entry(282, 5, rational_at); // XResolution
    entry(283, 5, rational_at + 8); // YResolution
    entry(296, 3, 2); // ResolutionUnit: inch
    out.extend_from_slice(&0u32.to_le_bytes());
    for _ in 0..2 {
        out.extend_from_slice(&dpi.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
    }
    out.extend_from_slice(data);
    out
}

/// A 4-colour page (2 bits per pixel, zlib) as a PNG.
fn palette_png(data: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(data)
        .map_err(|e| Error::Ocr(format!("a colour page cannot be unpacked: {e:?}")))?;
    let stride = (width as usize).div_ceil(4);
    let palette = hoso_scan::EncodedPage::palette();
    let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height as usize {
        for x in 0..width as usize {
            let byte = raw.get(y * stride + x / 4).copied().unwrap_or(0);
            let index = (byte >> (6 - 2 * (x % 4))) & 3;
            rgb.extend_from_slice(&palette[index as usize]);
        }
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&rgb, width, height, image::ExtendedColorType::Rgb8)
        .map_err(|e| Error::Ocr(e.to_string()))?;
    Ok(out)
}

fn gray4_png(data: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let grey = hoso_scan::encode::unpack_gray4(data, width, height)
        .ok_or_else(|| Error::Ocr("a grey page cannot be unpacked".into()))?;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&grey.data, width, height, image::ExtendedColorType::L8)
        .map_err(|e| Error::Ocr(e.to_string()))?;
    Ok(out)
}

/// Reads one page image with Tesseract.
pub(crate) fn read_page(
    encoding: Encoding,
    data: &[u8],
    width: u32,
    height: u32,
    dpi: u32,
) -> Result<Read> {
    let dir = tempfile::tempdir().map_err(|e| Error::io(&std::env::temp_dir(), e))?;
    let (name, bytes) = match encoding {
        Encoding::G4 => ("page.tif", g4_tiff(data, width, height, dpi)),
        Encoding::JpegGray | Encoding::JpegRgb => ("page.jpg", data.to_vec()),
        Encoding::Palette4 => ("page.png", palette_png(data, width, height)?),
        Encoding::Gray4 => ("page.png", gray4_png(data, width, height)?),
    };
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).map_err(|e| Error::io(&file, e))?;
    run_tesseract(&file, dpi)
}

/// The text of one page image (as `hoso_scan` encodes pages), read with Tesseract: words
/// joined by spaces within a line, lines by new lines. For reading a paper of a dossier.
pub fn page_text(
    encoding: Encoding,
    data: &[u8],
    width: u32,
    height: u32,
    dpi: u32,
) -> Result<String> {
    read_page(encoding, data, width, height, dpi).map(|r| r.text)
}

/// Reads an image file Tesseract opens itself.
pub(crate) fn read_file(file: &Path, dpi: u32) -> Result<Read> {
    run_tesseract(file, dpi)
}

fn run_tesseract(file: &Path, dpi: u32) -> Result<Read> {
    let out = Command::new("tesseract")
        .arg(file)
        .args(["stdout", "-l", "vie", "--psm", "3", "--dpi", &dpi.to_string(), "tsv"])
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .map_err(|e| {
            Error::Ocr(format!(
                "Tesseract is not installed ({e}); install tesseract-ocr and tesseract-ocr-vie"
            ))
        })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Error::Ocr(err.lines().last().unwrap_or("failed").to_owned()));
    }
    Ok(parse_tsv(&String::from_utf8_lossy(&out.stdout)))
}

/// A page waiting to be read.
struct Job {
    id: i64,
    sha: String,
    encoding: String,
    width: u32,
    height: u32,
    dpi: u32,
}

impl Archive {
    /// Marks every page not read yet (and those that failed) as waiting to be read.
    pub fn queue_ocr(&self) -> Result<usize> {
        Ok(self.db().execute(
            "UPDATE page SET ocr_state = 'pending' WHERE ocr_state IN ('none', 'failed')",
            [],
        )?)
    }

    /// Pages waiting to be read.
    pub fn ocr_waiting(&self) -> Result<usize> {
        Ok(self.db().query_row(
            "SELECT count(*) FROM page WHERE ocr_state = 'pending'",
            [],
            |r| r.get::<_, i64>(0),
        )? as usize)
    }

    /// Reads the waiting pages, `threads` at a time, oldest first, until none is left or
    /// `cancel` is set (the pages being read are finished). `progress(done, total)` is called
    /// after each page.
    pub fn ocr_pending(
        &self,
        threads: usize,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<OcrReport> {
        let started = Instant::now();
        let jobs: Vec<Job> = {
            let db = self.db();
            let mut st = db.prepare(
                "SELECT id, image_sha256, encoding, width, height, dpi FROM page
                 WHERE ocr_state = 'pending' ORDER BY id",
            )?;
            st.query_map([], |r| {
                Ok(Job {
                    id: r.get(0)?,
                    sha: r.get(1)?,
                    encoding: r.get(2)?,
                    width: r.get(3)?,
                    height: r.get(4)?,
                    dpi: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let total = jobs.len();
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::channel::<(i64, Result<Read>, u64)>();
        let mut report = OcrReport::default();
        std::thread::scope(|s| -> Result<()> {
            for _ in 0..threads.max(1).min(total.max(1)) {
                let tx = tx.clone();
                let (jobs, next) = (&jobs, &next);
                s.spawn(move || {
                    loop {
                        if cancel.load(Ordering::SeqCst) {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(job) = jobs.get(i) else { break };
                        let t = Instant::now();
                        let read = job
                            .encoding
                            .parse::<Encoding>()
                            .map_err(|e| Error::Damaged { page: job.id, why: e.to_string() })
                            .and_then(|enc| Ok((enc, self.blobs().read(&job.sha)?)))
                            .and_then(|(enc, data)| {
                                read_page(enc, &data, job.width, job.height, job.dpi)
                            });
                        let ms = u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX);
                        if tx.send((job.id, read, ms)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for (id, read, ms) in rx {
                match read {
                    Ok(read) => {
                        self.store_read(id, &read, ms)?;
                        report.read += 1;
                    }
                    Err(e) => {
                        self.db().execute(
                            "UPDATE page SET ocr_state = 'failed', ocr_error = ? WHERE id = ?",
                            params![e.to_string(), id],
                        )?;
                        report.failed += 1;
                    }
                }
                progress(report.read + report.failed, total);
            }
            Ok(())
        })?;
        report.left = self.ocr_waiting()?;
        report.cancelled = cancel.load(Ordering::SeqCst) && report.left > 0;
        report.ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(report)
    }

    /// Stores what was read on a page and indexes it, in one transaction.
    fn store_read(&self, id: i64, read: &Read, ms: u64) -> Result<()> {
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            "UPDATE page SET ocr_state = 'done', ocr_text = ?, ocr_words = ?, ocr_error = '',
                 ocr_runs = ocr_runs + 1, ocr_ms = ?, ocr_done_at = ? WHERE id = ?",
            params![read.text, words_to_json(&read.words), ms as i64, now_ms(), id],
        )?;
        let (meta, source): (crate::RecordMeta, String) = tx.query_row(
            "SELECT r.kind, r.number, r.date, r.people, r.tags, p.source_name
             FROM page p JOIN record r ON r.id = p.record_id WHERE p.id = ?",
            [id],
            |r| Ok((crate::RecordMeta::from_row(r, 0)?, r.get(5)?)),
        )?;
        search::index_page(&tx, id, &read.text, &meta.folded(&source))?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tesseract_tsv_becomes_lines_and_word_boxes() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t1654\t2339\t-1\t\n\
            5\t1\t1\t1\t1\t1\t100\t200\t80\t30\t95.1\tCỘNG\n\
            5\t1\t1\t1\t1\t2\t190\t200\t60\t30\t94.0\tHÒA\n\
            5\t1\t1\t1\t2\t1\t100\t240\t50\t30\t90.0\tĐộc\n\
            5\t1\t2\t1\t1\t1\t100\t400\t90\t30\t91.0\tGIẤY\n\
            5\t1\t2\t1\t1\t2\t200\t400\t10\t30\t-1\t \n";
        let r = parse_tsv(tsv);
        assert_eq!(r.text, "CỘNG HÒA\nĐộc\n\nGIẤY");
        assert_eq!(r.words.len(), 4);
        assert_eq!(r.words[1], Word { text: "HÒA".into(), x0: 190, y0: 200, x1: 250, y1: 230 });
        assert_eq!(words_from_json(&words_to_json(&r.words)), r.words);
    }

    #[test]
    fn the_g4_tiff_header_points_at_the_data() {
        let t = g4_tiff(&[1, 2, 3], 1654, 2339, 200);
        assert_eq!(&t[..4], b"II*\0");
        let data_at = t.len() - 3;
        assert_eq!(&t[data_at..], &[1, 2, 3]);
        // StripOffsets (tag 273) holds where the data starts.
        let entries = &t[10..10 + 11 * 12];
        let strip =
            entries.chunks(12).find(|e| u16::from_le_bytes([e[0], e[1]]) == 273).expect("tag");
        assert_eq!(
            u32::from_le_bytes([strip[8], strip[9], strip[10], strip[11]]) as usize,
            data_at
        );
    }
}
