-- The review queue (issue 17): organisations that visited but were not named.
--
-- A visit from a network whose owner is no known provider and does not read like a
-- private person, but that no list or directory names (network type 'unknown' with an
-- organisation-looking owner), now keeps what the queue shows: its network (/24 or
-- /48, never the address), the AS number, the owner's registered name and the country.
-- Other 'unknown' visits, and ISP, mobile and hosting visits, keep none of it. The
-- columns live in enriched_sessions, so they go with the visit: erased by session id,
-- expired with RAW_RETENTION_DAYS.
ALTER TABLE enriched_sessions ADD COLUMN IF NOT EXISTS asn UInt32 DEFAULT 0 AFTER network;
ALTER TABLE enriched_sessions ADD COLUMN IF NOT EXISTS owner String DEFAULT '' AFTER asn;
ALTER TABLE enriched_sessions ADD COLUMN IF NOT EXISTS country LowCardinality(String) DEFAULT '' AFTER owner;

-- A directory entry made by naming a candidate stands for the network owner's registered
-- name (which enrichment looks the directory up by), under the name the admin gave it.
ALTER TABLE company_directory ADD COLUMN IF NOT EXISTS owner String DEFAULT '' AFTER registration_number;

-- Candidates an admin dismissed, by owner name: the organisation leaves the queue in
-- every process. Organisation names and networks only, no visitor data; no time limit.
CREATE TABLE IF NOT EXISTS candidate_dismissals
(
    owner      String,
    network    String,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY owner;
