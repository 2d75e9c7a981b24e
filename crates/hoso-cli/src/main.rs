//! `hoso`: dossiers and the catalogue from the command line, over the same façade as the app.
//!
//! Output is JSON when stdout is not a terminal (or with `--json`), so scripts can read it, and
//! a short Vietnamese table otherwise. Errors go to stderr with a stable code and exit status.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use hoso_api::types::{Dossier, FieldChange, ListQuery};
use hoso_api::{ApiError, ErrorCode, Hoso, SystemClock};
use serde::Serialize;

#[derive(Parser, Debug)]
#[command(name = "hoso", version, about = "HoSo: chuẩn bị hồ sơ thủ tục hành chính (dòng lệnh)")]
struct Cli {
    /// Data directory (default: $HOSO_DATA_DIR, else ~/.local/share/hoso).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print JSON even on a terminal.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List procedures in the catalogue, optionally matching words (diacritics optional).
    Procedures { query: Vec<String> },
    /// Create a draft dossier; prints its id.
    New {
        #[arg(long, value_name = "CODE")]
        procedure: String,
        /// A field value, KEY=VALUE (repeatable).
        #[arg(long = "field", value_name = "KEY=VALUE", value_parser = parse_field)]
        fields: Vec<FieldChange>,
    },
    /// Show a dossier with its values, problems and documents.
    Show { id: String },
    /// List dossiers, most recently changed first.
    List {
        /// Only dossiers matching these words.
        #[arg(long, short)]
        query: Option<String>,
        /// The trash instead.
        #[arg(long)]
        trash: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

fn parse_field(s: &str) -> Result<FieldChange, String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok(FieldChange { key: k.to_owned(), value: v.to_owned() }),
        _ => Err(format!("expected KEY=VALUE, got {s:?}")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json || !std::io::stdout().is_terminal();
    match run(cli, json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e, json);
            ExitCode::from(exit_status(e.code))
        }
    }
}

fn run(cli: Cli, json: bool) -> Result<(), ApiError> {
    let data_dir = match cli.data_dir {
        Some(d) => d,
        None => hoso_api::default_data_dir()?,
    };
    let hoso = Hoso::open(&data_dir, Arc::new(SystemClock))?;
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Procedures { query } => {
            let list = hoso.procedures(&query.join(" "));
            if json {
                emit(&mut out, &list)
            } else {
                list.iter()
                    .try_for_each(|p| writeln!(out, "{:<10} {}  [{}]", p.code, p.name, p.field))
                    .map_err(io_err)
            }
        }
        Command::New { procedure, fields } => {
            let d = hoso.create_dossier(&procedure, &fields)?;
            if json { emit(&mut out, &d) } else { writeln!(out, "{}", d.id).map_err(io_err) }
        }
        Command::Show { id } => {
            let d = hoso.dossier(&id)?;
            if json { emit(&mut out, &d) } else { show(&mut out, &d).map_err(io_err) }
        }
        Command::List { query, trash, limit } => {
            let list = hoso.list_dossiers(&ListQuery {
                query: query.unwrap_or_default(),
                trash,
                limit: Some(limit),
                offset: None,
            })?;
            if json {
                emit(&mut out, &list)
            } else {
                list.items
                    .iter()
                    .try_for_each(|d| {
                        writeln!(
                            out,
                            "{}  {:<40} {}  {}",
                            d.id,
                            d.procedure_name,
                            badge(d.missing),
                            d.title
                        )
                    })
                    .and_then(|()| writeln!(out, "({} hồ sơ)", list.total))
                    .map_err(io_err)
            }
        }
    }
}

fn emit(out: &mut impl Write, value: &impl Serialize) -> Result<(), ApiError> {
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    writeln!(out).map_err(io_err)
}

fn badge(missing: u32) -> String {
    if missing == 0 {
        "Sẵn sàng nộp".to_owned()
    } else {
        format!("Còn thiếu {missing} mục")
    }
}

fn show(out: &mut impl Write, d: &Dossier) -> std::io::Result<()> {
    let name = d.procedure.as_ref().map_or("", |p| p.summary.name.as_str());
    writeln!(out, "Hồ sơ {}: {} ({})", d.id, name, d.procedure_code)?;
    writeln!(out, "{}", badge(d.missing))?;
    for (k, v) in &d.values {
        writeln!(out, "  {k} = {v}")?;
    }
    for i in &d.issues {
        writeln!(out, "  ! {}: {:?}", i.key, i.code)?;
    }
    for c in &d.components {
        let mark = if c.missing { "thiếu" } else { "có" };
        writeln!(out, "  [{mark}] {} ({} trang)", c.code, c.pages.len())?;
    }
    Ok(())
}

fn io_err(e: std::io::Error) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("cannot write output: {e}"))
}

/// Stable exit statuses by error class; 2 is clap's for bad usage.
fn exit_status(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::NotFound => 3,
        ErrorCode::UnknownProcedure
        | ErrorCode::UnknownField
        | ErrorCode::UnknownComponent
        | ErrorCode::InvalidInput => 4,
        ErrorCode::StoreCorrupt
        | ErrorCode::StoreLocked
        | ErrorCode::StoreReadOnly
        | ErrorCode::StoreTooNew
        | ErrorCode::DiskFull
        | ErrorCode::StoreUnavailable => 5,
        ErrorCode::Internal => 1,
    }
}

fn report(e: &ApiError, json: bool) {
    let mut err = std::io::stderr().lock();
    if json {
        let _ = serde_json::to_writer(&mut err, e);
        let _ = writeln!(err);
    } else {
        let _ = writeln!(err, "lỗi [{}]: {}", e.code.as_str(), e.message);
    }
}
