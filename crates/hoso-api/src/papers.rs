//! Reading a paper's page to fill the form: a birth certificate (giấy chứng sinh) gives the
//! child's name, date and place of birth, sex, the mother's name and ethnicity. The page is
//! read with Tesseract (`hoso_archive::page_text`); the lines are found by their printed labels,
//! compared without diacritics, so a misread accent on a label does not lose the line. What is
//! read is only proposed: the front end fills empty fields and shows what it did, with undo.

use hoso_catalogue::text::{fold, nfc};
use hoso_scan::Encoding;

use crate::types::{CardChange, PaperReading, ScanState};
use crate::{ApiError, ErrorCode, Hoso, Result};

/// The fields a birth certificate fills, by the folded label of its line.
const BIRTH_LABELS: [(&str, &str); 6] = [
    ("ho va ten me", "child.mother_name"),
    ("dan toc", "child.ethnicity"),
    ("da sinh con vao luc", "child.dob"),
    ("tai", "child.birth_place"),
    ("gioi tinh cua con", "child.sex"),
    ("du dinh dat ten con la", "child.full_name"),
];

/// What a birth certificate's text says, as (field key, value) in the form's terms.
pub fn birth_certificate_fields(text: &str) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for line in text.lines() {
        let Some((label, value)) = line.split_once(':') else { continue };
        let label = fold(label);
        let value = nfc(value.split_whitespace().collect::<Vec<_>>().join(" ").trim());
        let Some(&(_, key)) = BIRTH_LABELS.iter().find(|(l, _)| label == *l) else { continue };
        if value.is_empty() || out.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let value = match key {
            "child.dob" => match date_in(&fold(&value)) {
                Some(d) => d,
                None => continue,
            },
            "child.sex" => match fold(&value).split_whitespace().next() {
                Some("nam") => "Nam".to_owned(),
                Some("nu") => "Nữ".to_owned(),
                _ => continue,
            },
            _ => value,
        };
        out.push((key, value));
    }
    out
}

/// "… ngay 01 thang 11 nam 2026" (folded) as 01/11/2026.
fn date_in(folded: &str) -> Option<String> {
    let words: Vec<&str> =
        folded.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let after = |label: &str| -> Option<u32> {
        let i = words.iter().rposition(|w| *w == label)?;
        words.get(i + 1)?.parse().ok()
    };
    let (d, m, y) = (after("ngay")?, after("thang")?, after("nam")?);
    ((1..=31).contains(&d) && (1..=12).contains(&m) && (1900..=2200).contains(&y))
        .then(|| format!("{d:02}/{m:02}/{y}"))
}

impl Hoso {
    /// Reads page `page_id` of dossier `id` — a paper the catalogue says HoSo can read — and
    /// proposes what it says for the form's fields, with what each holds now. The person
    /// applying is proposed as the mother when the names match.
    pub fn read_paper(&self, id: &str, page_id: i64) -> Result<PaperReading> {
        let record = self.store().dossier(id).map_err(|e| self.store_err(e))?;
        let page = record.pages.iter().find(|p| p.id == page_id).ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, format!("dossier {id} has no page {page_id}"))
        })?;
        let procedure = self
            .catalogue
            .procedure(&record.row.procedure_code)
            .ok_or_else(|| crate::procedures::unknown_procedure(&record.row.procedure_code))?;
        let reads = procedure
            .components
            .iter()
            .find(|c| c.code == page.component_code)
            .and_then(|c| c.reads);
        let Some(hoso_catalogue::Reads::BirthCertificate) = reads else {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("HoSo cannot read the paper {}", page.component_code),
            ));
        };
        let (ScanState::Done, Some(scan), _) = crate::scan::scan_info(page) else {
            return Err(ApiError::new(
                ErrorCode::NotReady,
                "the photo is not made into a page yet",
            ));
        };
        let (Some((sha, _)), Ok(encoding)) = (&page.out, scan.encoding.parse::<Encoding>()) else {
            return Err(ApiError::new(ErrorCode::NotReady, "the page has no image"));
        };
        if !hoso_archive::tesseract_available() {
            return Err(ApiError::new(
                ErrorCode::OcrUnavailable,
                "tesseract with Vietnamese (tesseract-ocr-vie) is not installed",
            ));
        }
        let data = self.store().blobs().read(sha).map_err(|e| self.store_err(e))?;
        let text = hoso_archive::page_text(encoding, &data, scan.width, scan.height, scan.dpi)
            .map_err(|e| ApiError::new(ErrorCode::OcrUnavailable, e.to_string()))?;
        let mut found = birth_certificate_fields(&text);
        let values = &record.values;
        let applicant = values.get("applicant.full_name").map(|v| fold(v)).unwrap_or_default();
        if let Some((_, mother)) = found.iter().find(|(k, _)| *k == "child.mother_name")
            && !applicant.is_empty()
            && fold(mother) == applicant
        {
            found.push(("applicant.relationship", "Mẹ".to_owned()));
        }
        let changes = found
            .into_iter()
            .filter_map(|(key, proposed)| {
                let field = procedure.field(key)?;
                let current = values.get(key).cloned().unwrap_or_default();
                (current != proposed).then(|| CardChange {
                    key: key.to_owned(),
                    label: field.label.clone(),
                    current,
                    proposed,
                    options: Vec::new(),
                })
            })
            .collect();
        Ok(PaperReading { component: page.component_code.clone(), changes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_birth_certificate_is_read_by_its_labels() {
        let text = "SỞ Y TẾ\nGIẤY CHỨNG SINH\nSố: 125/GCS\n\nHọ và tên mẹ: Lò  Thị Mai\nNăm sinh: 1998\n\
                    Dân tộc: Lô Lô\nĐã sinh con vào lúc: 08 giờ 30 phút, ngày 01 tháng 11 năm 2026\n\
                    Tại: Trạm y tế xã Lũng Cú\nGiới tính của con: Nữ\nCân nặng: 3200 gam\n\
                    Du dinh dat ten con la: Lò Thị Hoa\nNgày 01 tháng 11 năm 2026";
        assert_eq!(
            birth_certificate_fields(text),
            vec![
                ("child.mother_name", "Lò Thị Mai".to_owned()),
                ("child.ethnicity", "Lô Lô".to_owned()),
                ("child.dob", "01/11/2026".to_owned()),
                ("child.birth_place", "Trạm y tế xã Lũng Cú".to_owned()),
                ("child.sex", "Nữ".to_owned()),
                ("child.full_name", "Lò Thị Hoa".to_owned()),
            ]
        );
    }

    #[test]
    fn a_line_that_does_not_make_sense_is_left_out() {
        let text =
            "Đã sinh con vào lúc: 08 giờ, ngày 41 tháng 11 năm 2026\nGiới tính của con: ?\nTại:\n";
        assert!(birth_certificate_fields(text).is_empty());
    }
}
