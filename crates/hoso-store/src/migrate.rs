//! Numbered SQL migrations embedded in the binary, applied forward-only at open.
//!
//! The schema version is SQLite's `user_version`. Each migration runs in its own transaction
//! together with the version bump, so a crash leaves the database at a whole version. A database
//! with a version above the newest migration was written by a newer HoSo and is refused.

use rusqlite::{Connection, TransactionBehavior};

use crate::{Error, Result};

/// `(version, sql)`, in order, from 1 with no gaps (a test checks).
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/0001_initial.sql")),
    (2, include_str!("../migrations/0002_outbox.sql")),
    (3, include_str!("../migrations/0003_scan.sql")),
    (4, include_str!("../migrations/0004_inbox.sql")),
    (5, include_str!("../migrations/0005_payment.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    // Taking the write lock even when nothing is pending tells at once whether another
    // program holds the database, instead of failing at the user's first save.
    let mut conn_tx = unchecked_tx(conn)?;
    let current: u32 = conn_tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::TooNew { found: current, known: SCHEMA_VERSION });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        conn_tx.execute_batch(sql)?;
        conn_tx.pragma_update(None, "user_version", version)?;
        conn_tx.commit()?;
        conn_tx = unchecked_tx(conn)?;
    }
    conn_tx.commit()?;
    Ok(())
}

fn unchecked_tx(conn: &Connection) -> Result<rusqlite::Transaction<'_>> {
    Ok(rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_from_one_without_gaps() {
        for (i, (v, sql)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*v as usize, i + 1);
            assert!(!sql.trim().is_empty());
        }
    }

    #[test]
    fn migrating_twice_is_a_no_op_and_newer_databases_are_refused() {
        let conn = Connection::open_in_memory().expect("db");
        migrate(&conn).expect("first");
        migrate(&conn).expect("second");
        let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("v");
        assert_eq!(v, SCHEMA_VERSION);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).expect("bump");
        assert!(
            matches!(migrate(&conn), Err(Error::TooNew { found, .. }) if found == SCHEMA_VERSION + 1)
        );
    }

    #[test]
    fn a_failing_migration_leaves_the_previous_version() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE dossier (x)").expect("clash");
        assert!(migrate(&conn).is_err());
        let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("v");
        assert_eq!(v, 0);
        let tables: u32 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'catalogue_cache'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(tables, 0, "the half-applied migration was rolled back");
    }
}
