-- An administrator keeps accounts and settings and sees no residents'
-- personal data unless the account is given it (or areas, like anyone
-- else). Administrators of existing databases keep what they saw.
ALTER TABLE account ADD COLUMN personal_data INTEGER NOT NULL DEFAULT 0;
UPDATE account SET personal_data = 1 WHERE role = 'admin';
