//! The catalogue's data model, read from the catalogue file.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

use crate::{Error, Result, text};

/// A whole catalogue: a version and its procedures, with shared field blocks resolved.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub version: String,
    pub source: String,
    pub procedures: Vec<Procedure>,
}

/// One administrative procedure (thủ tục) as the applicant sees it.
#[derive(Debug, Clone)]
pub struct Procedure {
    /// National code, e.g. `1.004873`.
    pub code: String,
    pub name: String,
    /// The field of administration (lĩnh vực), e.g. "Hộ tịch".
    pub field: String,
    pub level: Level,
    pub agency: String,
    pub online: OnlineLevel,
    /// Smaller is more common; the picker lists common procedures first.
    pub rank: u32,
    pub time_limit: String,
    /// The fee as the catalogue words it.
    pub fee: String,
    /// How the fee is worked out; `None`: set by the province.
    pub fee_rule: Option<crate::FeeRule>,
    pub result: String,
    pub legal_basis: Vec<String>,
    pub components: Vec<Component>,
    pub sections: Vec<Section>,
    /// Name, code and field folded for search (see [`text::fold`]).
    pub(crate) search_key: String,
}

/// Which level of government executes a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Commune (xã, phường, đặc khu).
    Xa,
    /// Province (tỉnh, thành phố).
    Tinh,
}

/// How much of the procedure can be done online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Fully online, fees included ("toàn trình").
    ToanTrinh,
    /// Partly online ("một phần"): something must be brought in person.
    MotPhan,
}

/// Whether a document must be the original or a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    Original,
    Copy,
}

/// A document of the dossier (thành phần hồ sơ).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub code: String,
    pub name: String,
    pub copy: CopyKind,
    pub count: u32,
    #[serde(default)]
    pub template: Option<String>,
    pub required: bool,
    /// What the paper looks like, for its picture and for telling a wrong photo.
    #[serde(default)]
    pub looks: Looks,
    /// What the paper is, in plain words.
    #[serde(default)]
    pub about: String,
    /// Where to get it.
    #[serde(default)]
    pub source: String,
    /// A paper HoSo can read to fill the form from its photo.
    #[serde(default)]
    pub reads: Option<Reads>,
}

/// A paper whose text HoSo reads to propose the form's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reads {
    /// The hospital's birth certificate (giấy chứng sinh): the child, the birth, the mother.
    BirthCertificate,
}

/// The kind of paper a component is, as far as a photo can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Looks {
    /// A printed form filled in by hand (A4).
    Form,
    /// A document issued by an office, usually stamped (A4 or A5).
    Certificate,
    /// A letter written or typed by a person (A4).
    Letter,
    /// A card such as the citizen ID card (85.6 × 54 mm).
    Card,
    /// Any paper.
    #[default]
    Any,
}

impl Looks {
    /// Whether the paper is a sheet (A4/A5), so a photo of a card is the wrong paper.
    pub fn is_sheet(self) -> bool {
        matches!(self, Self::Form | Self::Certificate | Self::Letter)
    }
}

/// A titled group of form fields.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub fields: Vec<Field>,
}

/// One form field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Stable key, `<subject>.<name>`: fields of one person share the subject, so a CCCD number
    /// is checked against the date of birth and sex of the same person.
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    #[serde(default)]
    pub hint: Option<String>,
    /// Choices of a `select` field.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
}

/// What a field holds, which decides how it is entered and validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    FullName,
    Cccd,
    Date,
    Sex,
    Phone,
    Email,
    Address,
    Select,
    Number,
}

impl Field {
    /// The subject of the field: `applicant` for `applicant.cccd`.
    pub fn subject(&self) -> &str {
        self.key.split_once('.').map_or("", |(s, _)| s)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCatalogue {
    format: u32,
    version: String,
    source: String,
    #[serde(default)]
    blocks: BTreeMap<String, FileSection>,
    procedures: Vec<FileProcedure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSection {
    title: String,
    fields: Vec<Field>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FileSectionRef {
    Use { r#use: String },
    Inline(FileSection),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileProcedure {
    code: String,
    name: String,
    field: String,
    level: Level,
    agency: String,
    online: OnlineLevel,
    rank: u32,
    time_limit: String,
    fee: String,
    #[serde(default)]
    fee_rule: Option<crate::FeeRule>,
    result: String,
    #[serde(default)]
    legal_basis: Vec<String>,
    components: Vec<Component>,
    sections: Vec<FileSectionRef>,
}

/// The only catalogue file format this build reads.
const FORMAT: u32 = 1;

impl Catalogue {
    /// The catalogue compiled into the binary.
    pub fn bundled() -> Self {
        #[allow(clippy::expect_used)]
        Self::from_json(crate::BUNDLED_JSON).expect("the bundled catalogue is checked by tests")
    }

    /// Reads a catalogue file, resolving shared blocks and checking that keys are unique.
    pub fn from_json(json: &str) -> Result<Self> {
        let file: FileCatalogue = serde_json::from_str(json)?;
        if file.format != FORMAT {
            return Err(Error::Invalid(format!(
                "format {} is not supported (this build reads format {FORMAT})",
                file.format
            )));
        }
        let mut codes = HashSet::new();
        let mut procedures = Vec::with_capacity(file.procedures.len());
        for p in file.procedures {
            if !codes.insert(p.code.clone()) {
                return Err(Error::Invalid(format!("procedure {} appears twice", p.code)));
            }
            let mut sections = Vec::new();
            for s in p.sections {
                let s = match s {
                    FileSectionRef::Inline(s) => s,
                    FileSectionRef::Use { r#use } => {
                        let block = file.blocks.get(&r#use).ok_or_else(|| {
                            Error::Invalid(format!("procedure {} uses unknown block {use}", p.code))
                        })?;
                        FileSection { title: block.title.clone(), fields: block.fields.clone() }
                    }
                };
                sections.push(Section { title: s.title, fields: s.fields });
            }
            check_fields(&p.code, &sections)?;
            if let Some(rule) = &p.fee_rule {
                check_fee_rule(&p.code, rule, &sections)?;
            }
            let mut component_codes = HashSet::new();
            for c in &p.components {
                if !component_codes.insert(c.code.as_str()) {
                    return Err(Error::Invalid(format!(
                        "procedure {} lists component {} twice",
                        p.code, c.code
                    )));
                }
            }
            let search_key = text::fold(&format!("{} {} {}", p.name, p.code, p.field));
            procedures.push(Procedure {
                code: p.code,
                name: p.name,
                field: p.field,
                level: p.level,
                agency: p.agency,
                online: p.online,
                rank: p.rank,
                time_limit: p.time_limit,
                fee: p.fee,
                fee_rule: p.fee_rule,
                result: p.result,
                legal_basis: p.legal_basis,
                components: p.components,
                sections,
                search_key,
            });
        }
        procedures.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.code.cmp(&b.code)));
        Ok(Self { version: file.version, source: file.source, procedures })
    }

    pub fn procedure(&self, code: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.code == code)
    }
}

/// A fee rule may only read fields the procedure has.
fn check_fee_rule(code: &str, rule: &crate::FeeRule, sections: &[Section]) -> Result<()> {
    use crate::FeeRule as R;
    let has = |key: &str| sections.iter().flat_map(|s| &s.fields).any(|f| f.key == key);
    let missing = match rule {
        R::PerPage { pages_field, copies_field, tiers, .. } => {
            if tiers.is_empty() || tiers.windows(2).any(|w| w[0].from >= w[1].from) {
                return Err(Error::Invalid(format!("procedure {code}: fee tiers out of order")));
            }
            [pages_field, copies_field].into_iter().find(|k| !has(k))
        }
        R::OnTime { date_field, late, .. } => {
            check_fee_rule(code, late, sections)?;
            (!has(date_field)).then_some(date_field)
        }
        R::Free | R::Fixed { .. } | R::Province => None,
    };
    match missing {
        Some(key) => {
            Err(Error::Invalid(format!("procedure {code}: the fee reads unknown field {key}")))
        }
        None => Ok(()),
    }
}

fn check_fields(code: &str, sections: &[Section]) -> Result<()> {
    let mut keys = HashSet::new();
    for f in sections.iter().flat_map(|s| &s.fields) {
        if !keys.insert(f.key.as_str()) {
            return Err(Error::Invalid(format!("procedure {code} has field {} twice", f.key)));
        }
        if f.subject().is_empty() {
            return Err(Error::Invalid(format!(
                "field {} of procedure {code} has no subject prefix",
                f.key
            )));
        }
        if f.kind == FieldKind::Select && f.options.is_empty() {
            return Err(Error::Invalid(format!("select field {} has no options", f.key)));
        }
    }
    Ok(())
}

impl Procedure {
    /// Every field, in form order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.sections.iter().flat_map(|s| &s.fields)
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields().find(|f| f.key == key)
    }

    /// The fee for a dossier of this procedure with these values, made on `today`.
    pub fn fee_quote(&self, values: &crate::Values, today: crate::CivilDate) -> crate::FeeQuote {
        self.fee_rule.as_ref().unwrap_or(&crate::FeeRule::Province).quote(values, today)
    }
}

/// Compares dotted numeric versions (`2026.11.1` < `2026.12.0`); non-numeric parts compare as 0.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parse = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    parse(a).cmp(&parse(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_paper_says_what_it_is_where_to_get_it_and_what_it_looks_like() {
        let c = Catalogue::bundled();
        for p in &c.procedures {
            for comp in &p.components {
                let at = format!("{} {}", p.code, comp.code);
                assert!(comp.about.chars().count() >= 30, "{at}: about");
                assert!(comp.source.chars().count() >= 20, "{at}: source");
            }
        }
        let birth = c.procedure("1.001193").expect("birth registration");
        let looks = |code: &str| birth.components.iter().find(|c| c.code == code).map(|c| c.looks);
        assert_eq!(looks("to_khai"), Some(Looks::Form));
        assert_eq!(looks("giay_chung_sinh"), Some(Looks::Certificate));
        assert!(birth.components.iter().all(|c| c.looks.is_sheet()));
    }

    #[test]
    fn bundled_catalogue_has_the_common_procedures_with_fields_and_components() {
        let c = Catalogue::bundled();
        assert!(c.procedures.len() >= 8, "{} procedures", c.procedures.len());
        for code in ["1.001193", "1.004873", "2.000815", "1.000894", "1.007073", "1.004194"] {
            let p = c.procedure(code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(p.components.iter().any(|c| c.required), "{code} has no required component");
            for key in ["applicant.full_name", "applicant.cccd", "applicant.dob", "applicant.phone"]
            {
                assert!(p.field(key).is_some(), "{code} lacks {key}");
            }
        }
        let birth = c.procedure("1.001193").expect("birth registration");
        for key in ["child.full_name", "child.dob", "child.birth_place"] {
            assert!(birth.field(key).is_some(), "birth registration lacks {key}");
        }
        assert_eq!(c.procedures[0].code, "1.001193", "most common first");
        assert!(c.procedures.windows(2).all(|w| w[0].rank <= w[1].rank));
    }

    #[test]
    fn rejects_unknown_format_duplicates_and_dangling_blocks() {
        let dup = r#"{"format":1,"version":"1","source":"t","procedures":[
            {"code":"1","name":"a","field":"f","level":"xa","agency":"x","online":"mot_phan","rank":1,
             "time_limit":"","fee":"","result":"","components":[],"sections":[]},
            {"code":"1","name":"b","field":"f","level":"xa","agency":"x","online":"mot_phan","rank":2,
             "time_limit":"","fee":"","result":"","components":[],"sections":[]}]}"#;
        assert!(matches!(Catalogue::from_json(dup), Err(Error::Invalid(m)) if m.contains("twice")));
        let dangling = r#"{"format":1,"version":"1","source":"t","procedures":[
            {"code":"1","name":"a","field":"f","level":"xa","agency":"x","online":"mot_phan","rank":1,
             "time_limit":"","fee":"","result":"","components":[],"sections":[{"use":"nobody"}]}]}"#;
        assert!(
            matches!(Catalogue::from_json(dangling), Err(Error::Invalid(m)) if m.contains("nobody"))
        );
        let future = r#"{"format":2,"version":"1","source":"t","procedures":[]}"#;
        assert!(matches!(Catalogue::from_json(future), Err(Error::Invalid(_))));
        assert!(matches!(Catalogue::from_json("{"), Err(Error::Parse(_))));
    }

    #[test]
    fn versions_compare_numerically() {
        use std::cmp::Ordering::*;
        assert_eq!(compare_versions("2026.11.1", "2026.11.1"), Equal);
        assert_eq!(compare_versions("2026.9.0", "2026.11.0"), Less);
        assert_eq!(compare_versions("2027.1", "2026.12.9"), Greater);
    }
}
