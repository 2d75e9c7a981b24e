-- HoSo schema version 5: the portal's payment request for a submitted dossier that has a fee
-- (what to transfer, to which account, with which purpose) and when the portal said it was paid.
CREATE TABLE payment (
    dossier_id   TEXT    PRIMARY KEY REFERENCES dossier (id) ON DELETE CASCADE,
    amount       INTEGER NOT NULL,   -- đồng
    reference    TEXT    NOT NULL,   -- the transfer's purpose
    bank_bin     TEXT    NOT NULL,   -- NAPAS bank identification number
    account      TEXT    NOT NULL,
    account_name TEXT    NOT NULL,
    paid_at      INTEGER,            -- as the portal gave it (ms since the Unix epoch)
    updated_at   INTEGER NOT NULL
) STRICT;
