-- The admin Spoor creates when it starts without ADMIN_EMAIL and without users. Its
-- generated password used to be printed once, at a start that could still fail after
-- creating it (port taken): then nobody knew it. Now the admin waits for its first
-- login (awaiting_first_login = 1) and every start until then prints a new password.
-- Any row written by other code (a reset, a removal) has 0: the wait is over.
ALTER TABLE users ADD COLUMN IF NOT EXISTS awaiting_first_login UInt8 DEFAULT 0;

-- The printed passwords, as scrypt hashes (never the text). Each start appends its own
-- row, so two processes starting together (ROLE=dashboard twice) both print one that
-- works; the first login keeps the one used as the admin's password and deletes the rest.
CREATE TABLE IF NOT EXISTS first_login_passwords
(
    email         String,
    password_hash String,
    created_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY (email, created_at);
