-- Payment requests: one per dossier that has a fee, created with its receipt; `paid_at` is set
-- by the operator command that stands in for the bank's notification.
CREATE TABLE payment (
    client_id    TEXT    PRIMARY KEY REFERENCES dossier (client_id),
    amount       INTEGER NOT NULL,      -- đồng
    reference    TEXT    NOT NULL UNIQUE, -- the transfer's purpose: the receipt, letters and digits
    bank_bin     TEXT    NOT NULL,      -- NAPAS bank identification number (6 digits)
    account      TEXT    NOT NULL,
    account_name TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    paid_at      INTEGER
) STRICT;
