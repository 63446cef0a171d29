-- The opt-out list expires with the opt-out cookie: 400 days, the longest a browser
-- keeps a cookie (and so a spoor_id). An id older than that is gone from every browser,
-- and the list would otherwise grow for ever (review finding: 2.5 M rows stopped the start).
ALTER TABLE optouts MODIFY TTL created_at + INTERVAL 400 DAY;

-- A bloom-filter index on events.vid: an opt-out or erasure first asks whether the id
-- was ever seen (SELECT 1 … LIMIT 1), which without it read every granule of events.
ALTER TABLE events ADD INDEX IF NOT EXISTS vid_bloom vid TYPE bloom_filter(0.001) GRANULARITY 1;

ALTER TABLE events MATERIALIZE INDEX vid_bloom;
