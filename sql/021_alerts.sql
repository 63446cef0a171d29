-- Alerts for the sales team (issue 17): triggers, the deliveries they make, and each
-- dashboard user's digest e-mail.

-- A trigger: conditions on a company visit (`when`, JSON) and what to do when one
-- matches (`actions`, JSON, webhook secrets included: only admins read them back).
CREATE TABLE IF NOT EXISTS triggers
(
    id String,
    site String,
    name String,
    enabled UInt8,
    `when` String,
    actions String,
    created_by String,
    created_at DateTime64(3, 'UTC') DEFAULT now64(3),
    deleted UInt8 DEFAULT 0,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY id;

-- A trigger fires at most once per company and local day of the site: this row is
-- written after the fire's deliveries, so a run that died in between fires again and
-- finds its deliveries already queued (their ids are derived from the same three keys).
CREATE TABLE IF NOT EXISTS trigger_fires
(
    trigger_id String,
    company_id String,
    day Date,
    site String,
    fired_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(fired_at)
ORDER BY (trigger_id, company_id, day)
TTL day + INTERVAL 60 DAY;

-- Webhooks, Slack messages and e-mails, stored before they are sent: a restart or a
-- crash loses none (the deliverer picks up every pending row whose time has come).
-- Every attempt writes a new version of the row. The body is exactly what is sent, so
-- the signature of a retry is the first attempt's. It names a company and pages, never
-- a visitor id or an address. `sid` is the visit an alert tells of (never sent): an
-- erasure of its visitor deletes the row. A digest's body is emptied once delivered.
-- Kept 30 days for the Settings list.
CREATE TABLE IF NOT EXISTS deliveries
(
    id String,
    site String,
    trigger_id String,
    trigger_name String,
    sid String,
    kind LowCardinality(String),
    target String,
    body String,
    status LowCardinality(String),
    attempts UInt16,
    next_at DateTime64(3, 'UTC'),
    signature String,
    last_code UInt16,
    last_error String,
    created_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY id
TTL toDateTime(created_at) + INTERVAL 30 DAY;

-- Each dashboard user's mail: the digest (off, daily or weekly), the language of every
-- mail they get, and the token of the digest's unsubscribe link (random, so the link
-- works without a login).
CREATE TABLE IF NOT EXISTS mail_settings
(
    email String,
    frequency LowCardinality(String),
    lang LowCardinality(String),
    token String,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY email;
