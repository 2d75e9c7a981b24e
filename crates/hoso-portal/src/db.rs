//! The portal's SQLite database (WAL, durable commits). All writes that belong together happen
//! in one transaction, so a submission is either wholly recorded with its receipt or not at all.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use crate::receipt;

const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/0001_portal.sql")),
    (2, include_str!("../migrations/0002_payment.sql")),
];

/// Errors of the portal's database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the portal database was written by a newer hoso-portal (schema {0})")]
    TooNew(u32),
    #[error("no dossier {0}")]
    NoDossier(String),
}

pub type DbResult<T> = Result<T, DbError>;

/// The portal database; one connection, used behind a mutex.
#[derive(Debug)]
pub struct Db {
    conn: Connection,
}

/// An upload as recorded.
#[derive(Debug, Clone)]
pub struct UploadRow {
    pub id: String,
    pub token_hash: String,
    pub length: u64,
    pub metadata: String,
    pub sha256: Option<String>,
    pub expires_at: i64,
}

/// A file named in a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmittedFile {
    pub upload_id: String,
    pub component: String,
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub size: u64,
}

/// What a submission turned into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// First time: a new receipt.
    New(ReceiptInfo),
    /// The same body again: the same receipt.
    Replay(ReceiptInfo),
    /// Another body for the same client id: the existing receipt.
    Conflict(ReceiptInfo),
}

/// A dossier's receipt and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptInfo {
    pub client_id: String,
    pub receipt: String,
    pub state: String,
    pub received_at: i64,
    /// What there is to pay, when the dossier has a fee.
    pub payment: Option<PaymentInfo>,
}

/// A dossier's payment request: what to transfer, to whom, with which purpose; and whether the
/// bank has said it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentInfo {
    pub amount: u64,
    pub reference: String,
    pub bank_bin: String,
    pub account: String,
    pub account_name: String,
    pub paid_at: Option<i64>,
}

/// Who fees are paid to (the portal's configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    pub bank_bin: String,
    pub account: String,
    pub account_name: String,
}

fn payment_of(conn: &Connection, client_id: &str) -> rusqlite::Result<Option<PaymentInfo>> {
    conn.prepare_cached(
        "SELECT amount, reference, bank_bin, account, account_name, paid_at FROM payment WHERE client_id = ?1",
    )?
    .query_row([client_id], |r| {
        Ok(PaymentInfo {
            amount: r.get::<_, i64>(0)? as u64,
            reference: r.get(1)?,
            bank_bin: r.get(2)?,
            account: r.get(3)?,
            account_name: r.get(4)?,
            paid_at: r.get(5)?,
        })
    })
    .optional()
}

/// Why a submission's files are not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// The upload does not exist (or belongs to another device).
    Unknown(String),
    /// Not every byte has arrived.
    Incomplete(String),
    /// The bytes that arrived do not have the SHA-256 or size the submission states.
    Mismatch(String),
}

/// An entry of the status-change feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub seq: i64,
    pub client_id: String,
    pub receipt: String,
    pub state: String,
    pub message: String,
    pub at: i64,
    pub results: Vec<ResultDoc>,
    /// The dossier's payment request as it is now, when it has one.
    pub payment: Option<PaymentInfo>,
}

/// A result document attached to a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultDoc {
    pub id: String,
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub size: u64,
}

/// A dossier as the operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DossierInfo {
    pub client_id: String,
    pub receipt: String,
    pub procedure_code: String,
    pub state: String,
    pub received_at: i64,
    pub updated_at: i64,
    pub files: Vec<FileInfo>,
}

/// A stored file of a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    pub component: String,
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

/// Every state a dossier can be in on the portal.
pub const STATES: [&str; 5] =
    ["received", "processing", "supplement_requested", "result_ready", "rejected"];

impl Db {
    pub fn open(data_dir: &Path) -> DbResult<Self> {
        // A missing folder is created; failing that, opening the file reports the problem.
        let _ = std::fs::create_dir_all(data_dir);
        let conn = Connection::open(data_dir.join("portal.sqlite3"))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Switching a new database to WAL does not wait on the busy handler; when another
        // process is creating the same database at that moment, wait and try again (bounded).
        for attempt in 0.. {
            match conn.execute_batch("PRAGMA journal_mode = WAL") {
                Err(e)
                    if attempt < 50
                        && e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => {
                    other?;
                    break;
                }
            }
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        // The version is read under the write lock, so two processes opening a new folder at
        // once (the server and an operator command) do not both migrate it.
        let newest = MIGRATIONS[MIGRATIONS.len() - 1].0;
        loop {
            let tx = rusqlite::Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)?;
            let current: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if current > newest {
                return Err(DbError::TooNew(current));
            }
            let Some((v, sql)) = MIGRATIONS.iter().find(|(v, _)| *v > current) else {
                tx.commit()?;
                break;
            };
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", v)?;
            tx.commit()?;
        }
        Ok(Self { conn })
    }

    pub fn add_token(&self, hash: &str, label: &str, now: i64) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO token (hash, label, created_at) VALUES (?1, ?2, ?3)",
            params![hash, label, now],
        )?;
        Ok(())
    }

    pub fn token_known(&self, hash: &str) -> DbResult<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM token WHERE hash = ?1")?
            .query_row([hash], |_| Ok(()))
            .optional()?
            .is_some())
    }

    pub fn create_upload(&self, u: &UploadRow, now: i64) -> DbResult<()> {
        self.conn.execute(
            "INSERT INTO upload (id, token_hash, length, metadata, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![u.id, u.token_hash, u.length as i64, u.metadata, now, u.expires_at],
        )?;
        Ok(())
    }

    pub fn upload(&self, id: &str) -> DbResult<Option<UploadRow>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, token_hash, length, metadata, sha256, expires_at FROM upload WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(UploadRow {
                    id: r.get(0)?,
                    token_hash: r.get(1)?,
                    length: r.get::<_, i64>(2)? as u64,
                    metadata: r.get(3)?,
                    sha256: r.get(4)?,
                    expires_at: r.get(5)?,
                })
            })
            .optional()?)
    }

    pub fn extend_upload(&self, id: &str, expires_at: i64) -> DbResult<()> {
        self.conn
            .execute("UPDATE upload SET expires_at = ?2 WHERE id = ?1", params![id, expires_at])?;
        Ok(())
    }

    pub fn complete_upload(&self, id: &str, sha256: &str, now: i64) -> DbResult<()> {
        self.conn.execute(
            "UPDATE upload SET sha256 = ?2, completed_at = ?3 WHERE id = ?1",
            params![id, sha256, now],
        )?;
        Ok(())
    }

    pub fn delete_upload(&self, id: &str) -> DbResult<()> {
        self.conn.execute("DELETE FROM upload WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Uploads past their expiry that no dossier refers to.
    pub fn expired_uploads(&self, now: i64) -> DbResult<Vec<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM upload WHERE expires_at < ?1
                   AND id NOT IN (SELECT upload_id FROM dossier_file)",
            )?
            .query_map([now], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Records submissions exactly once each, in one transaction (one disk flush for the whole
    /// group). A request whose files do not check out writes nothing; two requests in the same
    /// group with the same client id see each other (the second is a replay or a conflict).
    pub fn submit_batch(
        &mut self,
        requests: &[&SubmitRequest],
    ) -> DbResult<Vec<Result<Submitted, FileProblem>>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(requests.len());
        for r in requests {
            out.push(submit_in(&tx, r)?);
        }
        tx.commit()?;
        Ok(out)
    }

    /// Records a supplement once (keyed by its id) and puts the dossier back to `received`.
    pub fn supplement(
        &mut self,
        token_hash: &str,
        client_id: &str,
        supplement_id: &str,
        body_sha256: &str,
        files: &[SubmittedFile],
        now: i64,
    ) -> DbResult<Result<SupplementOutcome, FileProblem>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let dossier = tx
            .query_row(
                "SELECT state FROM dossier WHERE client_id = ?1 AND token_hash = ?2",
                [client_id, token_hash],
                |r| r.get::<_, String>(0),
            )
            .optional()?;
        let Some(state) = dossier else { return Err(DbError::NoDossier(client_id.to_owned())) };
        let seen = tx
            .query_row(
                "SELECT body_sha256 FROM supplement WHERE supplement_id = ?1",
                [supplement_id],
                |r| r.get::<_, String>(0),
            )
            .optional()?;
        if let Some(hash) = seen {
            return Ok(Ok(if hash == body_sha256 {
                SupplementOutcome::Replay
            } else {
                SupplementOutcome::Conflict
            }));
        }
        if state != "supplement_requested" {
            return Ok(Ok(SupplementOutcome::NotRequested(state)));
        }
        if let Err(problem) = check_files(&tx, token_hash, files)? {
            return Ok(Err(problem));
        }
        tx.execute(
            "INSERT INTO supplement (supplement_id, client_id, body_sha256, received_at) VALUES (?1, ?2, ?3, ?4)",
            params![supplement_id, client_id, body_sha256, now],
        )?;
        insert_files(&tx, client_id, files, Some(supplement_id))?;
        set_state_tx(&tx, client_id, "received", "Đã nhận hồ sơ bổ sung", now)?;
        tx.commit()?;
        Ok(Ok(SupplementOutcome::Accepted))
    }

    /// Changes for one device after `after`, oldest first.
    pub fn changes(&self, token_hash: &str, after: i64, limit: u32) -> DbResult<Vec<Change>> {
        let mut changes: Vec<Change> = self
            .conn
            .prepare_cached(
                "SELECT c.seq, c.client_id, d.receipt, c.state, c.message, c.at
                 FROM change c JOIN dossier d ON d.client_id = c.client_id
                 WHERE c.token_hash = ?1 AND c.seq > ?2 ORDER BY c.seq LIMIT ?3",
            )?
            .query_map(params![token_hash, after, limit], |r| {
                Ok(Change {
                    seq: r.get(0)?,
                    client_id: r.get(1)?,
                    receipt: r.get(2)?,
                    state: r.get(3)?,
                    message: r.get(4)?,
                    at: r.get(5)?,
                    results: Vec::new(),
                    payment: None,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, media_type, sha256, size FROM result WHERE seq = ?1 ORDER BY rowid",
        )?;
        for c in &mut changes {
            c.results = stmt.query_map([c.seq], read_result)?.collect::<rusqlite::Result<_>>()?;
            c.payment = payment_of(&self.conn, &c.client_id)?;
        }
        Ok(changes)
    }

    /// A dossier's receipt and state, for its owner.
    pub fn receipt(&self, token_hash: &str, client_id: &str) -> DbResult<Option<ReceiptInfo>> {
        Ok(self
            .conn
            .query_row(
                "SELECT receipt, state, received_at FROM dossier WHERE client_id = ?1 AND token_hash = ?2",
                [client_id, token_hash],
                |r| {
                    Ok(ReceiptInfo {
                        client_id: client_id.to_owned(),
                        receipt: r.get(0)?,
                        state: r.get(1)?,
                        received_at: r.get(2)?,
                        payment: None,
                    })
                },
            )
            .optional()?
            .map(|mut info| {
                info.payment = payment_of(&self.conn, client_id)?;
                Ok::<_, rusqlite::Error>(info)
            })
            .transpose()?)
    }

    /// The bank's notification, as the operator enters it: the dossier's payment (by client id,
    /// receipt or payment reference) has arrived. Appends a change so the citizen's app sees
    /// it; a payment already marked paid is left as it was.
    pub fn mark_paid(&mut self, key: &str, now: i64) -> DbResult<PaymentInfo> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (client_id, state): (String, String) = tx
            .query_row(
                "SELECT d.client_id, d.state FROM dossier d JOIN payment p ON p.client_id = d.client_id
                 WHERE d.client_id = ?1 OR d.receipt = ?1 OR p.reference = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| DbError::NoDossier(key.to_owned()))?;
        let n = tx.execute(
            "UPDATE payment SET paid_at = ?2 WHERE client_id = ?1 AND paid_at IS NULL",
            params![client_id, now],
        )?;
        if n > 0 {
            let amount: i64 = tx.query_row(
                "SELECT amount FROM payment WHERE client_id = ?1",
                [&client_id],
                |r| r.get(0),
            )?;
            let message = format!("Đã nhận thanh toán {}", hoso_catalogue::vnd(amount));
            set_state_tx(&tx, &client_id, &state, &message, now)?;
        }
        let info =
            payment_of(&tx, &client_id)?.ok_or_else(|| DbError::NoDossier(key.to_owned()))?;
        tx.commit()?;
        Ok(info)
    }

    /// The back office moves a dossier (by client id or receipt) to `state`, optionally with
    /// result documents already stored under their ids.
    pub fn set_state(
        &mut self,
        key: &str,
        state: &str,
        message: &str,
        results: &[ResultDoc],
        now: i64,
    ) -> DbResult<i64> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let client_id: String = tx
            .query_row(
                "SELECT client_id FROM dossier WHERE client_id = ?1 OR receipt = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| DbError::NoDossier(key.to_owned()))?;
        let seq = set_state_tx(&tx, &client_id, state, message, now)?;
        for r in results {
            tx.execute(
                "INSERT INTO result (id, seq, client_id, name, media_type, sha256, size) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![r.id, seq, client_id, r.name, r.media_type, r.sha256, r.size as i64],
            )?;
        }
        tx.commit()?;
        Ok(seq)
    }

    /// The result document `id` if it belongs to a dossier of this device.
    pub fn result(&self, token_hash: &str, id: &str) -> DbResult<Option<ResultDoc>> {
        Ok(self
            .conn
            .query_row(
                "SELECT r.id, r.name, r.media_type, r.sha256, r.size FROM result r
                 JOIN dossier d ON d.client_id = r.client_id WHERE r.id = ?1 AND d.token_hash = ?2",
                [id, token_hash],
                read_result,
            )
            .optional()?)
    }

    /// Every dossier with its files, oldest first.
    pub fn dossiers(&self) -> DbResult<Vec<DossierInfo>> {
        let mut list: Vec<DossierInfo> = self
            .conn
            .prepare(
                "SELECT client_id, receipt, procedure_code, state, received_at, updated_at FROM dossier ORDER BY received_at, receipt",
            )?
            .query_map([], |r| {
                Ok(DossierInfo {
                    client_id: r.get(0)?,
                    receipt: r.get(1)?,
                    procedure_code: r.get(2)?,
                    state: r.get(3)?,
                    received_at: r.get(4)?,
                    updated_at: r.get(5)?,
                    files: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT component, name, sha256, size FROM dossier_file WHERE client_id = ?1 ORDER BY rowid",
        )?;
        for d in &mut list {
            d.files = stmt
                .query_map([&d.client_id], |r| {
                    Ok(FileInfo {
                        component: r.get(0)?,
                        name: r.get(1)?,
                        sha256: r.get(2)?,
                        size: r.get::<_, i64>(3)? as u64,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(list)
    }
}

/// One submission, as the handler parsed it.
#[derive(Debug, Clone)]
pub struct SubmitRequest {
    pub token_hash: String,
    pub client_id: String,
    pub procedure_code: String,
    /// The canonical body, stored as it is.
    pub body: String,
    /// The SHA-256 that identifies the body (see the API guide).
    pub body_sha256: String,
    pub files: Vec<SubmittedFile>,
    pub receipt_prefix: String,
    /// Vietnam's day (YYMMDD) when it arrived.
    pub yymmdd: String,
    pub now: i64,
    /// The fee the dossier states (đồng), and who it is paid to.
    pub fee: u64,
    pub payee: Payee,
}

fn submit_in(
    tx: &rusqlite::Transaction<'_>,
    r: &SubmitRequest,
) -> DbResult<Result<Submitted, FileProblem>> {
    let existing = tx
        .prepare_cached(
            "SELECT receipt, state, received_at, body_sha256 FROM dossier WHERE client_id = ?1",
        )?
        .query_row([&r.client_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, String>(3)?,
            ))
        })
        .optional()?;
    if let Some((receipt, state, received_at, hash)) = existing {
        let payment = payment_of(tx, &r.client_id)?;
        let info =
            ReceiptInfo { client_id: r.client_id.clone(), receipt, state, received_at, payment };
        return Ok(Ok(if hash == r.body_sha256 {
            Submitted::Replay(info)
        } else {
            Submitted::Conflict(info)
        }));
    }
    if let Err(problem) = check_files(tx, &r.token_hash, &r.files)? {
        return Ok(Err(problem));
    }
    let number: u32 = tx
        .prepare_cached(
            "INSERT INTO receipt_day (day, last) VALUES (?1, 1)
         ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last",
        )?
        .query_row([&r.yymmdd], |row| row.get(0))?;
    let receipt = receipt::format(&r.receipt_prefix, &r.yymmdd, number);
    tx.prepare_cached(
        "INSERT INTO dossier (client_id, token_hash, receipt, body_sha256, procedure_code, body, state, received_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'received', ?7, ?7)",
    )?
    .execute(params![r.client_id, r.token_hash, receipt, r.body_sha256, r.procedure_code, r.body, r.now])?;
    insert_files(tx, &r.client_id, &r.files, None)?;
    if r.fee > 0 {
        // The transfer's purpose: the receipt in letters and digits (banks drop the rest).
        let reference: String =
            format!("HOSO {receipt}").chars().filter(char::is_ascii_alphanumeric).collect();
        tx.prepare_cached(
            "INSERT INTO payment (client_id, amount, reference, bank_bin, account, account_name, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            r.client_id,
            r.fee as i64,
            reference,
            r.payee.bank_bin,
            r.payee.account,
            r.payee.account_name,
            r.now
        ])?;
    }
    tx.prepare_cached("INSERT INTO change (client_id, token_hash, state, message, at) VALUES (?1, ?2, 'received', '', ?3)")?
        .execute(params![r.client_id, r.token_hash, r.now])?;
    Ok(Ok(Submitted::New(ReceiptInfo {
        client_id: r.client_id.clone(),
        received_at: r.now,
        state: "received".to_owned(),
        payment: payment_of(tx, &r.client_id)?,
        receipt,
    })))
}

/// Outcome of a supplement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupplementOutcome {
    Accepted,
    Replay,
    Conflict,
    /// The dossier is not waiting for a supplement (its current state).
    NotRequested(String),
}

/// A `result` row selected as `id, name, media_type, sha256, size`.
fn read_result(r: &rusqlite::Row<'_>) -> rusqlite::Result<ResultDoc> {
    Ok(ResultDoc {
        id: r.get(0)?,
        name: r.get(1)?,
        media_type: r.get(2)?,
        sha256: r.get(3)?,
        size: r.get::<_, i64>(4)? as u64,
    })
}

fn check_files(
    tx: &rusqlite::Transaction<'_>,
    token_hash: &str,
    files: &[SubmittedFile],
) -> DbResult<Result<(), FileProblem>> {
    for f in files {
        let row = tx
            .query_row(
                "SELECT length, sha256 FROM upload WHERE id = ?1 AND token_hash = ?2",
                [&f.upload_id, token_hash],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, Option<String>>(1)?)),
            )
            .optional()?;
        match row {
            None => return Ok(Err(FileProblem::Unknown(f.upload_id.clone()))),
            Some((_, None)) => return Ok(Err(FileProblem::Incomplete(f.upload_id.clone()))),
            Some((length, Some(sha))) if length != f.size || sha != f.sha256 => {
                return Ok(Err(FileProblem::Mismatch(f.upload_id.clone())));
            }
            Some(_) => {}
        }
    }
    Ok(Ok(()))
}

fn insert_files(
    tx: &rusqlite::Transaction<'_>,
    client_id: &str,
    files: &[SubmittedFile],
    supplement: Option<&str>,
) -> DbResult<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO dossier_file (client_id, upload_id, component, name, media_type, sha256, size, supplement)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for f in files {
        stmt.execute(params![
            client_id,
            f.upload_id,
            f.component,
            f.name,
            f.media_type,
            f.sha256,
            f.size as i64,
            supplement
        ])?;
    }
    Ok(())
}

fn set_state_tx(
    tx: &rusqlite::Transaction<'_>,
    client_id: &str,
    state: &str,
    message: &str,
    now: i64,
) -> DbResult<i64> {
    let token_hash: String = tx.query_row(
        "UPDATE dossier SET state = ?2, updated_at = ?3 WHERE client_id = ?1 RETURNING token_hash",
        params![client_id, state, now],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO change (client_id, token_hash, state, message, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![client_id, token_hash, state, message, now],
    )?;
    Ok(tx.last_insert_rowid())
}
