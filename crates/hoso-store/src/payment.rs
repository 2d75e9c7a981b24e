//! The portal's payment request for a submitted dossier, and whether it was paid.

use rusqlite::{OptionalExtension, params};

use crate::{Result, Store};

/// What there is to pay for a dossier, as the portal asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Đồng.
    pub amount: i64,
    pub reference: String,
    pub bank_bin: String,
    pub account: String,
    pub account_name: String,
    pub paid_at: Option<i64>,
}

impl Store {
    /// Keeps the portal's payment request (ignored for unknown dossiers). The first time it is
    /// paid, the dossier's history gets `payment:paid`; a later "unpaid" never undoes that.
    /// Returns whether it just became paid.
    pub fn record_payment(&self, dossier_id: &str, p: &Payment, now: i64) -> Result<bool> {
        let tx = self.immediate()?;
        let known: Option<Option<i64>> = tx
            .query_row("SELECT paid_at FROM payment WHERE dossier_id = ?1", [dossier_id], |r| {
                r.get(0)
            })
            .optional()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM dossier WHERE id = ?1)",
            [dossier_id],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(false);
        }
        let was_paid = known.flatten();
        let paid_at = was_paid.or(p.paid_at);
        tx.execute(
            "INSERT INTO payment (dossier_id, amount, reference, bank_bin, account, account_name, paid_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (dossier_id) DO UPDATE SET amount = ?2, reference = ?3, bank_bin = ?4,
               account = ?5, account_name = ?6, paid_at = ?7, updated_at = ?8",
            params![dossier_id, p.amount, p.reference, p.bank_bin, p.account, p.account_name, paid_at, now],
        )?;
        let just_paid = was_paid.is_none() && paid_at.is_some();
        if just_paid {
            let detail = format!("{}|{}", p.amount, p.reference);
            crate::dossiers::add_event(
                &tx,
                dossier_id,
                paid_at.unwrap_or(now),
                "payment:paid",
                &detail,
            )?;
        }
        tx.commit()?;
        Ok(just_paid)
    }

    /// Payment requests of live dossiers not paid yet.
    pub fn unpaid_payments(&self) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM payment p JOIN dossier d ON d.id = p.dossier_id
             WHERE p.paid_at IS NULL AND d.deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// The dossier's payment request, if the portal made one.
    pub fn payment(&self, dossier_id: &str) -> Result<Option<Payment>> {
        Ok(self
            .conn
            .query_row(
                "SELECT amount, reference, bank_bin, account, account_name, paid_at FROM payment WHERE dossier_id = ?1",
                [dossier_id],
                |r| {
                    Ok(Payment {
                        amount: r.get(0)?,
                        reference: r.get(1)?,
                        bank_bin: r.get(2)?,
                        account: r.get(3)?,
                        account_name: r.get(4)?,
                        paid_at: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }
}

/// Figures about the store that say nothing about anyone (for the diagnostics file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFigures {
    /// (state, live dossiers, dossiers in the trash).
    pub dossiers: Vec<(String, i64, i64)>,
    /// (job state, jobs, attempts in all, error codes seen).
    pub jobs: Vec<(String, i64, i64, Vec<String>)>,
    /// Files in the file store, and their bytes.
    pub files: (i64, i64),
    pub payments: (i64, i64),
    pub inbox: i64,
    pub watch_folders: i64,
}

impl Store {
    /// Counts by state, for the diagnostics file: no names, values, ids or paths.
    pub fn figures(&self) -> Result<StoreFigures> {
        let dossiers = self
            .conn
            .prepare(
                "SELECT state, SUM(deleted_at IS NULL), SUM(deleted_at IS NOT NULL) FROM dossier GROUP BY state ORDER BY state",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let jobs = self
            .conn
            .prepare(
                "SELECT state, COUNT(*), SUM(attempts), COALESCE(GROUP_CONCAT(DISTINCT error_code), '')
                 FROM outbox_job GROUP BY state ORDER BY state",
            )?
            .query_map([], |r| {
                let codes: String = r.get(3)?;
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    codes.split(',').filter(|c| !c.is_empty()).map(str::to_owned).collect(),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let files = self.conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(byte_size), 0) FROM blob",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let payments = self.conn.query_row(
            "SELECT COALESCE(SUM(paid_at IS NULL), 0), COALESCE(SUM(paid_at IS NOT NULL), 0) FROM payment",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let inbox = self.conn.query_row("SELECT COUNT(*) FROM inbox_item", [], |r| r.get(0))?;
        let watch_folders =
            self.conn.query_row("SELECT COUNT(*) FROM watch_folder", [], |r| r.get(0))?;
        Ok(StoreFigures { dossiers, jobs, files, payments, inbox, watch_folders })
    }
}
