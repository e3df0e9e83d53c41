-- The audit trail: who did what to which record, when. Append-only (the
-- triggers refuse changes through SQL) and hash-chained (each entry's hash
-- covers the previous hash), so an entry altered or removed by other means
-- is found by VerifyAudit.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    account TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT '',
    hash    TEXT NOT NULL
);
CREATE INDEX audit_account ON audit(account, id);
CREATE INDEX audit_action ON audit(action, id);
CREATE INDEX audit_target ON audit(target, id);

CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
