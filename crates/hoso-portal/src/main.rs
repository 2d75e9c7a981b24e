//! `hoso-portal`: run the reference portal, or act as its back office.
//!
//! ```text
//! hoso-portal --listen 127.0.0.1:8787 --data DIR          serve
//! hoso-portal token create --data DIR [--label L]         print a new bearer token
//! hoso-portal dossiers list --data DIR                    JSON: every dossier and its files
//! hoso-portal dossiers set-state --data DIR KEY STATE [--message M] [--result FILE]...
//! ```

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use hoso_portal::db::{Db, ResultDoc, STATES};
use hoso_portal::{Config, Faults};
use sha2::{Digest, Sha256};

#[derive(Parser, Debug)]
#[command(name = "hoso-portal", version, about = "HoSo reference portal (open submission API)")]
struct Cli {
    /// Address to serve on, e.g. 127.0.0.1:8787 (port 0 picks a free port).
    #[arg(long)]
    listen: Option<String>,
    /// The portal's data folder (database, uploads, results).
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Largest accepted file, in bytes.
    #[arg(long, default_value_t = 50 * 1024 * 1024)]
    max_upload_bytes: u64,
    /// Seconds an idle upload is kept.
    #[arg(long, default_value_t = 24 * 3600)]
    upload_ttl_secs: u64,
    /// Seconds between sweeps of expired uploads.
    #[arg(long, default_value_t = 60)]
    sweep_secs: u64,
    /// Receipt code prefix.
    #[arg(long, default_value = "HS")]
    receipt_prefix: String,
    /// NAPAS BIN of the bank fees are paid into (6 digits).
    #[arg(long, default_value = "970415")]
    payee_bin: String,
    /// The account fees are paid into.
    #[arg(long, default_value = "113366668888")]
    payee_account: String,
    /// The account holder's name, as banking apps show it.
    #[arg(long, default_value = "UBND XA HOSO MAU")]
    payee_name: String,
    /// Serve this catalogue file instead of the bundled one.
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
    /// Share (0–1) of requests answered 500/503.
    #[arg(long, default_value_t = 0.0)]
    fault_error_rate: f64,
    /// Only requests whose path starts with this get the 500/503 answers (all by default).
    #[arg(long, value_name = "PATH")]
    fault_error_path: Option<String>,
    /// Share (0–1) of requests answered by a captive-portal-style 200 HTML page.
    #[arg(long, default_value_t = 0.0)]
    fault_captive_rate: f64,
    /// Share (0–1) of connections cut after a random number of bytes.
    #[arg(long, default_value_t = 0.0)]
    fault_drop_rate: f64,
    /// Delay before every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    fault_delay_ms: u64,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Device tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// The back office: list dossiers, move them through their states.
    Dossiers {
        #[command(subcommand)]
        action: DossierAction,
    },
}

#[derive(Subcommand, Debug)]
enum TokenAction {
    /// Create a token and print it (only its hash is kept).
    Create {
        #[arg(long, default_value = "")]
        label: String,
    },
}

#[derive(Subcommand, Debug)]
enum DossierAction {
    /// Every dossier with its receipt, state and files (JSON).
    List,
    /// Move a dossier (by client id or receipt) to a state.
    SetState {
        key: String,
        /// received, processing, supplement_requested, result_ready or rejected.
        state: String,
        #[arg(long, default_value = "")]
        message: String,
        /// A result document to attach (repeatable).
        #[arg(long = "result", value_name = "FILE")]
        results: Vec<PathBuf>,
    },
    /// Stand in for the bank's notification: the fee of a dossier (by client id, receipt or
    /// payment reference) has been paid. Prints the payment (JSON).
    Pay { key: String },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let data = cli.data.clone().context("--data DIR is required")?;
    std::fs::create_dir_all(&data).with_context(|| format!("creating {}", data.display()))?;
    match cli.command {
        Some(Command::Token { action: TokenAction::Create { label } }) => {
            let db = Db::open(&data)?;
            let token = hoso_portal::new_token();
            db.add_token(&hoso_portal::token_hash(&token), &label, hoso_portal::now_ms())?;
            println!("{token}");
            Ok(())
        }
        Some(Command::Dossiers { action: DossierAction::List }) => {
            let db = Db::open(&data)?;
            println!("{}", serde_json::to_string_pretty(&db.dossiers()?)?);
            Ok(())
        }
        Some(Command::Dossiers {
            action: DossierAction::SetState { key, state, message, results },
        }) => {
            if !STATES.contains(&state.as_str()) {
                bail!("unknown state {state}; use one of {}", STATES.join(", "));
            }
            std::fs::create_dir_all(data.join("results"))?;
            let mut docs = Vec::new();
            for path in &results {
                let bytes =
                    std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
                let id = hex::encode(rand::random::<[u8; 16]>());
                std::fs::write(data.join("results").join(&id), &bytes)?;
                let name =
                    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let media_type = if name.to_ascii_lowercase().ends_with(".pdf") {
                    "application/pdf"
                } else {
                    "application/octet-stream"
                };
                docs.push(ResultDoc {
                    id,
                    name,
                    media_type: media_type.to_owned(),
                    sha256: hex::encode(Sha256::digest(&bytes)),
                    size: bytes.len() as u64,
                });
            }
            let mut db = Db::open(&data)?;
            let seq = db.set_state(&key, &state, &message, &docs, hoso_portal::now_ms())?;
            println!("{}", serde_json::json!({ "seq": seq, "state": state }));
            Ok(())
        }
        Some(Command::Dossiers { action: DossierAction::Pay { key } }) => {
            let mut db = Db::open(&data)?;
            let paid = db.mark_paid(&key, hoso_portal::now_ms())?;
            println!("{}", serde_json::to_string(&paid)?);
            Ok(())
        }
        None => serve(cli, data),
    }
}

fn serve(cli: Cli, data: PathBuf) -> Result<()> {
    let listen = cli.listen.clone().context("--listen ADDR is required to serve")?;
    let mut config = Config::new(data);
    config.max_upload_bytes = cli.max_upload_bytes;
    config.upload_ttl = Duration::from_secs(cli.upload_ttl_secs);
    config.sweep_interval = Duration::from_secs(cli.sweep_secs.max(1));
    config.receipt_prefix = cli.receipt_prefix;
    if cli.payee_bin.len() != 6 || !cli.payee_bin.bytes().all(|b| b.is_ascii_digit()) {
        bail!("--payee-bin must be 6 digits");
    }
    config.payee = hoso_portal::db::Payee {
        bank_bin: cli.payee_bin,
        account: cli.payee_account,
        account_name: cli.payee_name,
    };
    config.catalogue_json = match &cli.catalogue {
        Some(p) => {
            Some(std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?)
        }
        None => None,
    };
    config.faults = Faults {
        error_rate: cli.fault_error_rate,
        error_path: cli.fault_error_path,
        captive_rate: cli.fault_captive_rate,
        drop_rate: cli.fault_drop_rate,
        delay_ms: cli.fault_delay_ms,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&listen).await.with_context(|| format!("binding {listen}"))?;
        let addr = listener.local_addr()?;
        if config.faults.any() {
            eprintln!("hoso-portal: fault injection on: {:?}", config.faults);
        }
        // Tests and scripts wait for this line (it carries the real port when 0 was asked).
        println!("hoso-portal listening on http://{addr}");
        use std::io::Write as _;
        std::io::stdout().flush()?;
        let shutdown = async {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending::<()>().await } } => {}
            }
        };
        hoso_portal::serve(listener, config, shutdown).await
    })
}
