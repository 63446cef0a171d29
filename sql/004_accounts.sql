-- Registered sites. ReplacingMergeTree keyed by domain: the newest row wins, and
-- `deleted = 1` marks a removed site. Read with FINAL.
CREATE TABLE IF NOT EXISTS sites
(
    domain     String,
    deleted    UInt8 DEFAULT 0,
    created_at DateTime('UTC') DEFAULT now(),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY domain;

-- Dashboard users. Passwords are scrypt hashes (see auth/users.ts).
CREATE TABLE IF NOT EXISTS users
(
    email         String,
    password_hash String,
    role          LowCardinality(String),
    deleted       UInt8 DEFAULT 0,
    created_at    DateTime('UTC') DEFAULT now(),
    updated_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY email;

-- Login sessions: only the SHA-256 of the cookie's token is stored.
CREATE TABLE IF NOT EXISTS auth_sessions
(
    token_hash String,
    email      String,
    created_at DateTime('UTC') DEFAULT now(),
    expires_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY token_hash
TTL expires_at;

-- Visitor ids that opted out, as SHA-256: no event carrying one of them is ever stored,
-- and after an erasure no table holds the id itself.
CREATE TABLE IF NOT EXISTS optouts
(
    vid_hash   String,
    created_at DateTime('UTC') DEFAULT now()
)
ENGINE = ReplacingMergeTree
ORDER BY vid_hash;
