//! The cached catalogue: the newest catalogue file the app has, with its version and ETag.

use rusqlite::OptionalExtension;

use crate::{Result, Store};

/// A catalogue file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedCatalogue {
    pub version: String,
    pub source: String,
    /// The portal's ETag, for conditional downloads; `None` for the bundled file.
    pub etag: Option<String>,
    pub body: String,
    pub stored_at: i64,
}

impl Store {
    pub fn cached_catalogue(&self) -> Result<Option<CachedCatalogue>> {
        Ok(self
            .conn
            .query_row(
                "SELECT version, source, etag, body, stored_at FROM catalogue_cache WHERE id = 1",
                [],
                |r| {
                    Ok(CachedCatalogue {
                        version: r.get(0)?,
                        source: r.get(1)?,
                        etag: r.get(2)?,
                        body: r.get(3)?,
                        stored_at: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Replaces the cached catalogue.
    pub fn put_catalogue(&self, c: &CachedCatalogue) -> Result<()> {
        self.conn.execute(
            "INSERT INTO catalogue_cache (id, version, source, etag, body, stored_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version, source = excluded.source,
                 etag = excluded.etag, body = excluded.body, stored_at = excluded.stored_at",
            (&c.version, &c.source, &c.etag, &c.body, c.stored_at),
        )?;
        Ok(())
    }
}
