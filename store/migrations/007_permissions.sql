-- Two permissions held apart from the role: seeing full ID numbers and
-- phones (reveal), and writing personal data out of the program (export).
ALTER TABLE account ADD COLUMN can_reveal INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN can_export INTEGER NOT NULL DEFAULT 0;
