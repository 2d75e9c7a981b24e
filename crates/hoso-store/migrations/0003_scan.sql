-- HoSo schema version 3: scanned pages. A photo keeps its original file (`sha256`); the page
-- made from it (cleaned, cropped, compact) and its thumbnail are further files, and `scan`
-- holds, as JSON owned by the façade, how it was made (corners, turn, mode, size, flags).
-- A removed page keeps its row until the dossier goes, so removing can be undone.

ALTER TABLE page ADD COLUMN scan TEXT;
ALTER TABLE page ADD COLUMN out_sha256 TEXT REFERENCES blob (sha256);
ALTER TABLE page ADD COLUMN thumb_sha256 TEXT REFERENCES blob (sha256);
ALTER TABLE page ADD COLUMN removed_at INTEGER;
