//! Just enough ZIP for bundles, written here so every byte of a file from elsewhere is checked
//! by code this project owns (and fuzzes): stored or deflated entries, no encryption, no ZIP64,
//! one disk. The reader takes the central directory as the truth and checks each local header
//! against it.

use crate::{BundleError, Limits};

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// Unix file type bits in the high half of the external attributes.
const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;
const S_IFREG: u32 = 0o100_000;

/// An entry to write. `raw_*` let tests build hostile archives.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub data: Vec<u8>,
    /// Unix mode (type and permissions) recorded for the entry.
    pub mode: u32,
}

impl Entry {
    pub fn file(name: &str, data: Vec<u8>) -> Self {
        Self { name: name.to_owned(), data, mode: S_IFREG | 0o644 }
    }
    /// A symbolic link to `target` (for tests: bundles never contain one).
    pub fn symlink(name: &str, target: &str) -> Self {
        Self { name: name.to_owned(), data: target.as_bytes().to_vec(), mode: S_IFLNK | 0o777 }
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Writes a ZIP of `entries` in the given order: deflated when that is smaller, stored
/// otherwise; a fixed date (1 Jan 2025) so the same entries give the same bytes. Names may be
/// anything and may repeat (tests need hostile files); the bundle writer only gives good ones.
pub fn write(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let (time, date) = (0u16, (45u16 << 9) | (1 << 5) | 1);
    for e in entries {
        let crc = crc32fast::hash(&e.data);
        let deflated = miniz_oxide::deflate::compress_to_vec(&e.data, 6);
        let (method, body) = if deflated.len() < e.data.len() {
            (DEFLATED, deflated)
        } else {
            (STORED, e.data.clone())
        };
        let offset = out.len() as u32;
        let name = e.name.as_bytes();
        put32(&mut out, LOCAL);
        put16(&mut out, 20);
        put16(&mut out, 0x0800); // names are UTF-8
        put16(&mut out, method);
        put16(&mut out, time);
        put16(&mut out, date);
        put32(&mut out, crc);
        put32(&mut out, body.len() as u32);
        put32(&mut out, e.data.len() as u32);
        put16(&mut out, name.len() as u16);
        put16(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(&body);

        put32(&mut central, CENTRAL);
        put16(&mut central, (3 << 8) | 20); // made by Unix, so the mode bits count
        put16(&mut central, 20);
        put16(&mut central, 0x0800);
        put16(&mut central, method);
        put16(&mut central, time);
        put16(&mut central, date);
        put32(&mut central, crc);
        put32(&mut central, body.len() as u32);
        put32(&mut central, e.data.len() as u32);
        put16(&mut central, name.len() as u16);
        put16(&mut central, 0);
        put16(&mut central, 0);
        put16(&mut central, 0);
        put16(&mut central, 0);
        put32(&mut central, e.mode << 16);
        put32(&mut central, offset);
        central.extend_from_slice(name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    put32(&mut out, END);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, entries.len() as u16);
    put16(&mut out, entries.len() as u16);
    put32(&mut out, central.len() as u32);
    put32(&mut out, cd_offset);
    put16(&mut out, 0);
    out
}

/// A little-endian reader over a slice that fails instead of panicking.
struct At<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> At<'a> {
    fn new(b: &'a [u8], pos: usize) -> Self {
        Self { b, pos }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], BundleError> {
        let end = self.pos.checked_add(n).ok_or(BundleError::Truncated)?;
        let s = self.b.get(self.pos..end).ok_or(BundleError::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, BundleError> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Result<u32, BundleError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
}

/// One entry as the central directory describes it.
#[derive(Debug)]
struct Central {
    name: String,
    method: u16,
    flags: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    mode: Option<u32>,
    offset: usize,
}

/// Why a name is not acceptable, checked in this order: absolute, escaping, then the rest.
fn check_name(name: &str) -> Result<(), BundleError> {
    let bytes = name.as_bytes();
    let drive = bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic();
    if name.starts_with('/') || name.starts_with('\\') || drive {
        return Err(BundleError::AbsolutePath(name.to_owned()));
    }
    if name.split(['/', '\\']).any(|part| part == "..") {
        return Err(BundleError::PathTraversal(name.to_owned()));
    }
    if name.contains('\0') || name.contains('\\') {
        return Err(BundleError::UnexpectedEntry(name.to_owned()));
    }
    Ok(())
}

/// Reads every entry of a ZIP into memory, refusing anything a bundle never contains before
/// decompressing a byte: absolute or escaping names, links, repeated names, more entries or
/// bytes than the limits, a suspicious compression ratio, a lying size, a bad CRC.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Vec<(String, Vec<u8>)>, BundleError> {
    if bytes.len() as u64 > limits.max_bundle_bytes {
        return Err(BundleError::TooLarge(limits.max_bundle_bytes));
    }
    if !bytes.starts_with(&LOCAL.to_le_bytes()) {
        return Err(BundleError::NotABundle);
    }
    // The end record is within the last 22 + 65,535 bytes (its comment is at most that long).
    let tail_start = bytes.len().saturating_sub(22 + 0xFFFF);
    let end = (tail_start..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&i| bytes[i..].starts_with(&END.to_le_bytes()))
        .ok_or(BundleError::Truncated)?;
    let mut at = At::new(bytes, end + 4);
    let (disk, cd_disk) = (at.u16()?, at.u16()?);
    let (on_disk, total) = (at.u16()?, at.u16()?);
    let (cd_size, cd_offset) = (at.u32()? as usize, at.u32()? as usize);
    if disk != 0 || cd_disk != 0 || on_disk != total {
        return Err(BundleError::Corrupt("split archive".into()));
    }
    if usize::from(total) > limits.max_entries {
        return Err(BundleError::TooManyEntries(limits.max_entries));
    }
    if cd_offset.checked_add(cd_size).is_none_or(|e| e > end) {
        return Err(BundleError::Truncated);
    }
    let mut at = At::new(&bytes[..end], cd_offset);
    let mut entries = Vec::with_capacity(usize::from(total));
    for _ in 0..total {
        if at.u32()? != CENTRAL {
            return Err(BundleError::Corrupt("central directory".into()));
        }
        let made_by = at.u16()?;
        let _needed = at.u16()?;
        let flags = at.u16()?;
        let method = at.u16()?;
        at.take(4)?; // time, date
        let crc = at.u32()?;
        let compressed = u64::from(at.u32()?);
        let size = u64::from(at.u32()?);
        let (name_len, extra_len, comment_len) = (at.u16()?, at.u16()?, at.u16()?);
        at.take(4)?; // disk, internal attributes
        let external = at.u32()?;
        let offset = at.u32()? as usize;
        let name = at.take(usize::from(name_len))?;
        at.take(usize::from(extra_len) + usize::from(comment_len))?;
        let name = std::str::from_utf8(name)
            .map_err(|_| BundleError::UnexpectedEntry(String::from_utf8_lossy(name).into_owned()))?
            .to_owned();
        let mode = (made_by >> 8 == 3).then_some(external >> 16);
        entries.push(Central { name, method, flags, crc, compressed, size, mode, offset });
    }

    let mut seen = std::collections::HashSet::new();
    let mut total_size: u64 = 0;
    for e in &entries {
        check_name(&e.name)?;
        if e.mode.is_some_and(|m| m & S_IFMT == S_IFLNK) {
            return Err(BundleError::Symlink(e.name.clone()));
        }
        if !seen.insert(e.name.as_str()) {
            return Err(BundleError::DuplicateName(e.name.clone()));
        }
        if e.flags & 1 != 0 {
            return Err(BundleError::Corrupt(format!("{} is encrypted", e.name)));
        }
        if e.method != STORED && e.method != DEFLATED {
            return Err(BundleError::Corrupt(format!(
                "{}: compression method {}",
                e.name, e.method
            )));
        }
        if e.size > limits.max_file_bytes {
            return Err(BundleError::TooLarge(limits.max_file_bytes));
        }
        total_size = total_size.saturating_add(e.size);
        if total_size > limits.max_total_bytes {
            return Err(BundleError::TooLarge(limits.max_total_bytes));
        }
        if e.size > limits.ratio_floor && e.size > e.compressed.saturating_mul(limits.max_ratio) {
            return Err(BundleError::ZipBomb(e.name.clone()));
        }
    }

    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let mut at = At::new(&bytes[..end], e.offset);
        if at.u32()? != LOCAL {
            return Err(BundleError::Corrupt(format!("{}: no local header", e.name)));
        }
        at.take(22)?;
        let (name_len, extra_len) = (at.u16()?, at.u16()?);
        let local_name = at.take(usize::from(name_len))?;
        if local_name != e.name.as_bytes() {
            return Err(BundleError::Corrupt(format!("{}: names disagree", e.name)));
        }
        at.take(usize::from(extra_len))?;
        let body = at.take(usize::try_from(e.compressed).map_err(|_| BundleError::Truncated)?)?;
        let size = usize::try_from(e.size).map_err(|_| BundleError::TooLarge(e.size))?;
        let data = match e.method {
            STORED => body.to_vec(),
            _ => {
                // One byte more than declared is enough to catch a lying size.
                match miniz_oxide::inflate::decompress_to_vec_with_limit(body, size + 1) {
                    Ok(d) => d,
                    Err(err) if err.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                        return Err(BundleError::ZipBomb(e.name));
                    }
                    Err(_) => {
                        return Err(BundleError::Corrupt(format!("{}: bad deflate data", e.name)));
                    }
                }
            }
        };
        if data.len() != size {
            let what = if data.len() > size { "more" } else { "less" };
            return Err(if data.len() > size {
                BundleError::ZipBomb(e.name)
            } else {
                BundleError::Corrupt(format!("{}: {what} bytes than declared", e.name))
            });
        }
        if crc32fast::hash(&data) != e.crc {
            return Err(BundleError::Corrupt(format!("{}: CRC differs", e.name)));
        }
        out.push((e.name, data));
    }
    Ok(out)
}
