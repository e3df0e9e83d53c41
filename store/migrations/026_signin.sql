-- Sign-in attempts held against each user name (model.SignInKey: a short
-- hash, never the name typed), taken before the password is checked so
-- that guesses sent together cannot all be checked: at most
-- model.SignIns.Max within its window. held lists the attempts' times
-- (unix milliseconds); last is the newest, for dropping stale rows.
-- account.failed_logins and locked_until (005), which counted a failure
-- only after its check, are no longer read or written. They stay: DROP
-- COLUMN would open SQLite's temporary database on the writer, after which
-- a bulk load may not set temp_store inside its transaction.
CREATE TABLE signin_attempt (
    key  TEXT PRIMARY KEY,
    held TEXT NOT NULL,
    last INTEGER NOT NULL
);
CREATE INDEX signin_attempt_last ON signin_attempt(last);
