//! The outbox: finalised dossiers waiting to be sent, their files' upload progress, and what
//! comes back from the portal (receipt, status changes, result documents).

use rusqlite::{OptionalExtension, params};

use crate::dossiers::DossierState;
use crate::{Error, Result, Store};

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobState {
    Queued,
    Uploading,
    Submitting,
    /// The portal has it (the dossier has a receipt).
    Sent,
    /// It cannot go as it is; the error says why. It never blocks the others.
    SetAside,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Uploading => "uploading",
            Self::Submitting => "submitting",
            Self::Sent => "sent",
            Self::SetAside => "set_aside",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Queued, Self::Uploading, Self::Submitting, Self::Sent, Self::SetAside]
            .into_iter()
            .find(|j| j.as_str() == s)
    }
}

/// A dossier in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub dossier_id: String,
    /// The submission body (JSON) without upload references.
    pub payload: String,
    pub state: JobState,
    /// Failed tries since the job last got anywhere (a file further up, or sent).
    pub attempts: u32,
    pub next_attempt_at: i64,
    pub error_code: Option<String>,
    pub error_detail: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One file of a job and how much of it the portal has confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFile {
    pub sha256: String,
    pub size: i64,
    pub upload_url: Option<String>,
    pub confirmed_offset: i64,
    pub done: bool,
}

/// A status change from the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange<'a> {
    pub dossier_id: &'a str,
    pub state: DossierState,
    pub message: &'a str,
    pub at: i64,
}

const JOB_COLUMNS: &str = "dossier_id, payload, state, attempts, next_attempt_at, error_code, error_detail, created_at, updated_at";

fn read_job(r: &rusqlite::Row<'_>) -> rusqlite::Result<Job> {
    let state: String = r.get(2)?;
    Ok(Job {
        dossier_id: r.get(0)?,
        payload: r.get(1)?,
        state: JobState::parse(&state).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown job state {state}").into(),
            )
        })?,
        attempts: r.get(3)?,
        next_attempt_at: r.get(4)?,
        error_code: r.get(5)?,
        error_detail: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

impl Store {
    /// Freezes a draft into an outbox job with the given body and files; the dossier becomes
    /// `queued` and can no longer be edited.
    pub fn enqueue(
        &self,
        dossier_id: &str,
        payload: &str,
        files: &[(String, i64)],
        now: i64,
    ) -> Result<()> {
        let tx = self.immediate()?;
        let state: Option<String> = tx
            .query_row(
                "SELECT state FROM dossier WHERE id = ?1 AND deleted_at IS NULL",
                [dossier_id],
                |r| r.get(0),
            )
            .optional()?;
        match state.as_deref() {
            None => return Err(Error::DossierNotFound(dossier_id.to_owned())),
            Some("draft") => {}
            Some(other) => return Err(Error::NotADraft(other.to_owned())),
        }
        tx.execute(
            "INSERT INTO outbox_job (dossier_id, payload, state, created_at, updated_at) VALUES (?1, ?2, 'queued', ?3, ?3)
             ON CONFLICT (dossier_id) DO UPDATE SET payload = excluded.payload, state = 'queued', attempts = 0,
                 next_attempt_at = 0, error_code = NULL, error_detail = NULL, updated_at = excluded.updated_at",
            params![dossier_id, payload, now],
        )?;
        tx.execute("DELETE FROM outbox_file WHERE dossier_id = ?1", [dossier_id])?;
        for (sha, size) in files {
            tx.execute(
                "INSERT INTO outbox_file (dossier_id, sha256, size) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                params![dossier_id, sha, size],
            )?;
        }
        tx.execute(
            "UPDATE dossier SET state = 'queued', updated_at = ?2 WHERE id = ?1",
            params![dossier_id, now],
        )?;
        crate::dossiers::add_event(&tx, dossier_id, now, "state:queued", "")?;
        tx.commit()?;
        Ok(())
    }

    /// Takes a job that is not at the portal yet back to a draft (to fix what stopped it).
    pub fn unqueue(&self, dossier_id: &str, now: i64) -> Result<()> {
        let tx = self.immediate()?;
        let state: Option<String> = tx
            .query_row("SELECT state FROM outbox_job WHERE dossier_id = ?1", [dossier_id], |r| {
                r.get(0)
            })
            .optional()?;
        match state.as_deref() {
            None => return Err(Error::DossierNotFound(dossier_id.to_owned())),
            Some("sent") => return Err(Error::NotADraft("received".to_owned())),
            Some(_) => {}
        }
        tx.execute("DELETE FROM outbox_job WHERE dossier_id = ?1", [dossier_id])?;
        tx.execute(
            "UPDATE dossier SET state = 'draft', updated_at = ?2 WHERE id = ?1",
            params![dossier_id, now],
        )?;
        crate::dossiers::add_event(&tx, dossier_id, now, "state:draft", "unqueued")?;
        tx.commit()?;
        Ok(())
    }

    /// Jobs still to send (not sent, not set aside) whose next attempt is due, oldest first.
    pub fn due_jobs(&self, now: i64) -> Result<Vec<Job>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {JOB_COLUMNS} FROM outbox_job
                 WHERE state IN ('queued', 'uploading', 'submitting') AND next_attempt_at <= ?1
                   AND dossier_id IN (SELECT id FROM dossier WHERE deleted_at IS NULL)
                 ORDER BY created_at, dossier_id"
            ))?
            .query_map([now], read_job)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Every job, oldest first.
    pub fn jobs(&self) -> Result<Vec<Job>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {JOB_COLUMNS} FROM outbox_job ORDER BY created_at, dossier_id"
            ))?
            .query_map([], read_job)?
            .collect::<rusqlite::Result<_>>()?)
    }

    pub fn job(&self, dossier_id: &str) -> Result<Option<Job>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {JOB_COLUMNS} FROM outbox_job WHERE dossier_id = ?1"))?
            .query_row([dossier_id], read_job)
            .optional()?)
    }

    /// When the next job is due (for sleeping until then), if any job is waiting.
    pub fn next_due(&self) -> Result<Option<i64>> {
        Ok(self.conn.query_row(
            "SELECT min(next_attempt_at) FROM outbox_job WHERE state IN ('queued', 'uploading', 'submitting')
               AND dossier_id IN (SELECT id FROM dossier WHERE deleted_at IS NULL)",
            [],
            |r| r.get(0),
        )?)
    }

    pub fn job_files(&self, dossier_id: &str) -> Result<Vec<JobFile>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT sha256, size, upload_url, confirmed_offset, done FROM outbox_file WHERE dossier_id = ?1 ORDER BY rowid",
            )?
            .query_map([dossier_id], |r| {
                Ok(JobFile {
                    sha256: r.get(0)?,
                    size: r.get(1)?,
                    upload_url: r.get(2)?,
                    confirmed_offset: r.get(3)?,
                    done: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Records where a file is being uploaded (or forgets it with `None`, to start over).
    pub fn set_upload_url(&self, dossier_id: &str, sha256: &str, url: Option<&str>) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox_file SET upload_url = ?3, confirmed_offset = 0, done = 0 WHERE dossier_id = ?1 AND sha256 = ?2",
            params![dossier_id, sha256, url],
        )?;
        Ok(())
    }

    /// Records how many bytes of a file the portal confirmed.
    pub fn set_confirmed_offset(
        &self,
        dossier_id: &str,
        sha256: &str,
        offset: i64,
        done: bool,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox_file SET confirmed_offset = ?3, done = ?4 WHERE dossier_id = ?1 AND sha256 = ?2",
            params![dossier_id, sha256, offset, done],
        )?;
        Ok(())
    }

    /// Moves a job on; the dossier shows `uploading` while its files go.
    pub fn set_job_state(&self, dossier_id: &str, state: JobState, now: i64) -> Result<()> {
        let tx = self.immediate()?;
        tx.execute(
            "UPDATE outbox_job SET state = ?2, updated_at = ?3, error_code = NULL, error_detail = NULL WHERE dossier_id = ?1",
            params![dossier_id, state.as_str(), now],
        )?;
        if matches!(state, JobState::Uploading | JobState::Submitting) {
            let n = tx.execute(
                "UPDATE dossier SET state = 'uploading', updated_at = ?2 WHERE id = ?1 AND state = 'queued'",
                params![dossier_id, now],
            )?;
            if n > 0 {
                crate::dossiers::add_event(&tx, dossier_id, now, "state:uploading", "")?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// A transient failure: try again at `next_attempt_at`, remembering why and how many tries
    /// in a row have now failed without getting anywhere (`attempts`).
    pub fn retry_later(
        &self,
        dossier_id: &str,
        attempts: u32,
        next_attempt_at: i64,
        code: &str,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox_job SET attempts = ?2, next_attempt_at = ?3, error_code = ?4, error_detail = ?5,
                 updated_at = ?6 WHERE dossier_id = ?1",
            params![dossier_id, attempts, next_attempt_at, code, detail, now],
        )?;
        Ok(())
    }

    /// A permanent failure: the job waits for the person to fix it.
    pub fn set_aside(&self, dossier_id: &str, code: &str, detail: &str, now: i64) -> Result<()> {
        let tx = self.immediate()?;
        tx.execute(
            "UPDATE outbox_job SET state = 'set_aside', error_code = ?2, error_detail = ?3, updated_at = ?4 WHERE dossier_id = ?1",
            params![dossier_id, code, detail, now],
        )?;
        tx.execute(
            "UPDATE dossier SET state = 'queued', updated_at = ?2 WHERE id = ?1",
            params![dossier_id, now],
        )?;
        crate::dossiers::add_event(&tx, dossier_id, now, "set_aside", code)?;
        tx.commit()?;
        Ok(())
    }

    /// "Gửi ngay": every waiting job is due now.
    pub fn retry_all_now(&self) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox_job SET next_attempt_at = 0 WHERE state IN ('queued', 'uploading', 'submitting')",
            [],
        )?;
        Ok(())
    }

    /// The portal accepted the dossier: keep its receipt; the job is done.
    pub fn record_receipt(
        &self,
        dossier_id: &str,
        receipt: &str,
        received_at: i64,
        now: i64,
    ) -> Result<()> {
        let tx = self.immediate()?;
        tx.execute(
            "UPDATE outbox_job SET state = 'sent', error_code = NULL, error_detail = NULL, updated_at = ?2 WHERE dossier_id = ?1",
            params![dossier_id, now],
        )?;
        let n = tx.execute(
            "UPDATE dossier SET receipt = ?2, state = 'received', updated_at = ?3 WHERE id = ?1 AND receipt IS NULL",
            params![dossier_id, receipt, now],
        )?;
        if n > 0 {
            crate::dossiers::add_event(&tx, dossier_id, received_at, "state:received", receipt)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Applies a status change from the portal's feed (ignored for unknown dossiers).
    pub fn apply_status(&self, change: &StatusChange<'_>, now: i64) -> Result<bool> {
        let tx = self.immediate()?;
        // A change that repeats what the dossier already shows (the feed's first "received"
        // after the receipt was recorded) is not news.
        let n = tx.execute(
            "UPDATE dossier SET state = ?2, status_message = ?3, updated_at = ?4
             WHERE id = ?1 AND receipt IS NOT NULL AND (state != ?2 OR status_message != ?3)",
            params![change.dossier_id, change.state.as_str(), change.message, now],
        )?;
        if n > 0 {
            crate::dossiers::add_event(
                &tx,
                change.dossier_id,
                change.at,
                &format!("state:{}", change.state.as_str()),
                change.message,
            )?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    /// Keeps a result document (already in the file store) for a dossier.
    pub fn add_result(
        &self,
        dossier_id: &str,
        remote_id: &str,
        name: &str,
        media_type: &str,
        sha256: &str,
        now: i64,
    ) -> Result<()> {
        let tx = self.immediate()?;
        let size =
            i64::try_from(std::fs::metadata(self.blobs.path(sha256))?.len()).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO blob (sha256, byte_size, media_type, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            params![sha256, size, media_type, now],
        )?;
        tx.execute(
            "INSERT INTO result_doc (dossier_id, remote_id, name, media_type, sha256, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT DO NOTHING",
            params![dossier_id, remote_id, name, media_type, sha256, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A dossier's result documents: (name, media type, sha256).
    pub fn results(&self, dossier_id: &str) -> Result<Vec<(String, String, String)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT name, media_type, sha256 FROM result_doc WHERE dossier_id = ?1 ORDER BY received_at, name")?
            .query_map([dossier_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// A small named value (cursor, ETag, setting).
    pub fn kv(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM kv WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_kv(&self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => self.conn.execute(
                "INSERT INTO kv (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, v],
            )?,
            None => self.conn.execute("DELETE FROM kv WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    /// A dossier's receipt and the portal's last message, once it has them.
    pub fn receipt(&self, dossier_id: &str) -> Result<(Option<String>, String)> {
        Ok(self.conn.query_row(
            "SELECT receipt, status_message FROM dossier WHERE id = ?1",
            [dossier_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}

impl Store {
    /// Dossiers the portal has that have not reached a final state (result or rejection).
    pub fn awaiting_status(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM dossier WHERE receipt IS NOT NULL AND deleted_at IS NULL
               AND state NOT IN ('result_ready', 'rejected')",
            [],
            |r| r.get(0),
        )?)
    }
}

impl Store {
    /// How many jobs still have to go (not sent, not set aside, not in the trash).
    pub fn outstanding_jobs(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM outbox_job WHERE state IN ('queued', 'uploading', 'submitting')
               AND dossier_id IN (SELECT id FROM dossier WHERE deleted_at IS NULL)",
            [],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }
}
