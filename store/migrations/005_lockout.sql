-- Sign-in failures, for the lockout (5 failures lock for 15 minutes).
ALTER TABLE account ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN locked_until TEXT NOT NULL DEFAULT '';
