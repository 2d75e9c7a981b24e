//! Procedures from the catalogue, as transport types.

use hoso_catalogue as cat;

use crate::types::{
    ComponentSpec, CopyKind, FieldIssue, FieldKind, FieldSpec, IssueCode, Level, OnlineLevel,
    PaperLooks, ProcedureDetail, ProcedureSummary, SectionSpec,
};
use crate::{ApiError, ErrorCode, Hoso, Result};

impl Hoso {
    /// Procedures matching `query` (diacritics optional), most common first.
    pub fn procedures(&self, query: &str) -> Vec<ProcedureSummary> {
        self.catalogue.search(query).into_iter().map(summary).collect()
    }

    /// One procedure with its components and form.
    pub fn procedure(&self, code: &str) -> Result<ProcedureDetail> {
        self.catalogue.procedure(code).map(detail).ok_or_else(|| unknown_procedure(code))
    }
}

pub(crate) fn unknown_procedure(code: &str) -> ApiError {
    ApiError::new(ErrorCode::UnknownProcedure, format!("procedure {code} is not in the catalogue"))
}

pub(crate) fn summary(p: &cat::Procedure) -> ProcedureSummary {
    ProcedureSummary {
        code: p.code.clone(),
        name: p.name.clone(),
        field: p.field.clone(),
        level: match p.level {
            cat::Level::Xa => Level::Xa,
            cat::Level::Tinh => Level::Tinh,
        },
        agency: p.agency.clone(),
        online: match p.online {
            cat::OnlineLevel::ToanTrinh => OnlineLevel::ToanTrinh,
            cat::OnlineLevel::MotPhan => OnlineLevel::MotPhan,
        },
        time_limit: p.time_limit.clone(),
        fee: p.fee.clone(),
        required_components: u32::try_from(p.components.iter().filter(|c| c.required).count())
            .unwrap_or(u32::MAX),
    }
}

pub(crate) fn detail(p: &cat::Procedure) -> ProcedureDetail {
    ProcedureDetail {
        summary: summary(p),
        result: p.result.clone(),
        legal_basis: p.legal_basis.clone(),
        components: p
            .components
            .iter()
            .map(|c| ComponentSpec {
                code: c.code.clone(),
                name: c.name.clone(),
                copy: match c.copy {
                    cat::CopyKind::Original => CopyKind::Original,
                    cat::CopyKind::Copy => CopyKind::Copy,
                },
                count: c.count,
                template: c.template.clone(),
                required: c.required,
                looks: match c.looks {
                    cat::Looks::Form => PaperLooks::Form,
                    cat::Looks::Certificate => PaperLooks::Certificate,
                    cat::Looks::Letter => PaperLooks::Letter,
                    cat::Looks::Card => PaperLooks::Card,
                    cat::Looks::Any => PaperLooks::Any,
                },
                about: c.about.clone(),
                source: c.source.clone(),
                reads: c.reads.is_some(),
            })
            .collect(),
        sections: p
            .sections
            .iter()
            .map(|s| SectionSpec {
                title: s.title.clone(),
                fields: s.fields.iter().map(field).collect(),
            })
            .collect(),
    }
}

fn field(f: &cat::Field) -> FieldSpec {
    FieldSpec {
        key: f.key.clone(),
        label: f.label.clone(),
        kind: match f.kind {
            cat::FieldKind::Text => FieldKind::Text,
            cat::FieldKind::FullName => FieldKind::FullName,
            cat::FieldKind::Cccd => FieldKind::Cccd,
            cat::FieldKind::Date => FieldKind::Date,
            cat::FieldKind::Sex => FieldKind::Sex,
            cat::FieldKind::Phone => FieldKind::Phone,
            cat::FieldKind::Email => FieldKind::Email,
            cat::FieldKind::Address => FieldKind::Address,
            cat::FieldKind::Select => FieldKind::Select,
            cat::FieldKind::Number => FieldKind::Number,
        },
        required: f.required,
        hint: f.hint.clone(),
        options: if f.kind == cat::FieldKind::Sex {
            vec!["Nam".to_owned(), "Nữ".to_owned()]
        } else {
            f.options.clone()
        },
        min: f.min,
        max: f.max,
    }
}

pub(crate) fn issue(i: cat::FieldIssue) -> FieldIssue {
    use cat::IssueCode as C;
    let code = match i.code {
        C::Required => IssueCode::Required,
        C::TooLong => IssueCode::TooLong,
        C::NameChars => IssueCode::NameChars,
        C::DateFormat => IssueCode::DateFormat,
        C::DateInvalid => IssueCode::DateInvalid,
        C::DateFuture => IssueCode::DateFuture,
        C::CccdFormat => IssueCode::CccdFormat,
        C::CccdProvince => IssueCode::CccdProvince,
        C::CccdCentury => IssueCode::CccdCentury,
        C::CccdYear => IssueCode::CccdYear,
        C::CccdSex => IssueCode::CccdSex,
        C::PhoneFormat => IssueCode::PhoneFormat,
        C::PhonePrefix => IssueCode::PhonePrefix,
        C::EmailFormat => IssueCode::EmailFormat,
        C::NotAnOption => IssueCode::NotAnOption,
        C::NumberFormat => IssueCode::NumberFormat,
        C::NumberRange => IssueCode::NumberRange,
    };
    FieldIssue { key: i.key, code }
}
