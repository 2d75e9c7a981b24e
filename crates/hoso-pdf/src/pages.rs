//! A component's PDF: scanned pages in order, each image passed through in its own compression
//! (CCITT G4, JPEG, or deflated 2-bit grey or 4-colour palette — never re-encoded), on a page of its
//! physical size (pixels ÷ DPI). The same pages and title always give the same bytes: the
//! file identifier that PDF writers usually draw at random is derived from the content.

use std::collections::BTreeMap;

use printpdf::{
    DictItem, ExternalStream, ExternalXObject, Op, PdfDocument, PdfPage, PdfSaveOptions, Pt, Px,
    XObject, XObjectId, XObjectTransform,
};
use sha2::{Digest, Sha256};

/// How an image's bytes are compressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageData {
    /// CCITT Group 4, 1 = black.
    G4,
    JpegGray,
    JpegRgb,
    /// 2 bits per pixel, rows padded to a byte, zlib; the colours of the indices 0..4.
    Palette4([[u8; 3]; 4]),
    /// 2 bits per pixel grey, 0 = black to 3 = white, rows padded to a byte, zlib.
    Gray2,
}

/// One page: an image and its resolution.
#[derive(Debug, Clone)]
pub struct ImagePage<'a> {
    pub width: u32,
    pub height: u32,
    pub dpi: u32,
    pub kind: ImageData,
    pub data: &'a [u8],
}

fn name(s: &str) -> DictItem {
    DictItem::Name(s.as_bytes().to_vec())
}

fn image_object(p: &ImagePage<'_>) -> ExternalXObject {
    let mut dict = BTreeMap::new();
    dict.insert("Type".into(), name("XObject"));
    dict.insert("Subtype".into(), name("Image"));
    dict.insert("Width".into(), DictItem::Int(i64::from(p.width)));
    dict.insert("Height".into(), DictItem::Int(i64::from(p.height)));
    match &p.kind {
        ImageData::G4 => {
            dict.insert("ColorSpace".into(), name("DeviceGray"));
            dict.insert("BitsPerComponent".into(), DictItem::Int(1));
            dict.insert("Filter".into(), name("CCITTFaxDecode"));
            let mut parms = BTreeMap::new();
            parms.insert("K".into(), DictItem::Int(-1));
            parms.insert("Columns".into(), DictItem::Int(i64::from(p.width)));
            parms.insert("Rows".into(), DictItem::Int(i64::from(p.height)));
            // BlackIs1 stays false (the default): the decoded black runs are 0, which DeviceGray
            // draws black. `true` would need `/Decode [1 0]`, or every viewer shows a negative.
            dict.insert("DecodeParms".into(), DictItem::Dict { map: parms });
        }
        ImageData::JpegGray | ImageData::JpegRgb => {
            let cs = if p.kind == ImageData::JpegGray { "DeviceGray" } else { "DeviceRGB" };
            dict.insert("ColorSpace".into(), name(cs));
            dict.insert("BitsPerComponent".into(), DictItem::Int(8));
            dict.insert("Filter".into(), name("DCTDecode"));
        }
        ImageData::Palette4(colours) => {
            let table: Vec<u8> = colours.iter().flatten().copied().collect();
            dict.insert(
                "ColorSpace".into(),
                DictItem::Array(vec![
                    name("Indexed"),
                    name("DeviceRGB"),
                    DictItem::Int(3),
                    DictItem::String { data: table, literal: false },
                ]),
            );
            dict.insert("BitsPerComponent".into(), DictItem::Int(2));
            dict.insert("Filter".into(), name("FlateDecode"));
        }
        ImageData::Gray2 => {
            dict.insert("ColorSpace".into(), name("DeviceGray"));
            dict.insert("BitsPerComponent".into(), DictItem::Int(2));
            dict.insert("Filter".into(), name("FlateDecode"));
        }
    }
    ExternalXObject {
        stream: ExternalStream { dict, content: p.data.to_vec(), compress: false },
        width: Some(Px(p.width as usize)),
        height: Some(Px(p.height as usize)),
        dpi: Some(p.dpi as f32),
    }
}

/// Adds `pages` to `doc` as image pages of their physical size; the images are named `Im<n>`
/// from `first` on (by position, not printpdf's process-wide counter, so the same pages give
/// the same bytes whatever was made before).
pub(crate) fn image_pages(
    doc: &mut PdfDocument,
    pages: &[ImagePage<'_>],
    first: usize,
) -> Vec<PdfPage> {
    let mut out_pages = Vec::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let id = XObjectId(format!("Im{}", first + i));
        doc.resources.xobjects.map.insert(id.clone(), XObject::External(image_object(p)));
        let dpi = p.dpi.max(1) as f32;
        let w_pt = p.width as f32 * 72.0 / dpi;
        let h_pt = p.height as f32 * 72.0 / dpi;
        let ops = vec![Op::UseXobject {
            id,
            transform: XObjectTransform { dpi: Some(dpi), ..Default::default() },
        }];
        out_pages.push(PdfPage::new(Pt(w_pt).into(), Pt(h_pt).into(), ops));
    }
    out_pages
}

/// The PDF of `pages`, titled `title`.
pub fn pages_pdf(title: &str, pages: &[ImagePage<'_>]) -> Vec<u8> {
    let mut doc = PdfDocument::new(title);
    doc.metadata.info.creator = "HoSo".into();
    doc.metadata.info.producer = "HoSo".into();
    let out_pages = image_pages(&mut doc, pages, 1);
    let opts = PdfSaveOptions { optimize: false, ..Default::default() };
    let bytes = doc.with_pages(out_pages).save(&opts, &mut Vec::new());
    stable_ids(bytes)
}

/// Replaces the random file identifiers in the trailer by a digest of everything before them.
pub(crate) fn stable_ids(mut bytes: Vec<u8>) -> Vec<u8> {
    let Some(at) = bytes.windows(4).rposition(|w| w == b"/ID[" || w == b"/ID ") else {
        return bytes;
    };
    let digest = hex(&Sha256::digest(&bytes[..at]));
    // Each identifier is a literal string of 32 characters: overwrite them in place, so no
    // offset in the file moves.
    let mut i = at;
    for part in [&digest[..32], &digest[32..]] {
        let Some(open) = bytes[i..].iter().position(|&b| b == b'(').map(|p| p + i) else { break };
        let Some(close) = bytes[open..].iter().position(|&b| b == b')').map(|p| p + open) else {
            break;
        };
        if close - open - 1 == 32 {
            bytes[open + 1..close].copy_from_slice(part.as_bytes());
        }
        i = close + 1;
    }
    bytes
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
