-- Deleted means gone from disk. A merge, a mutation or APPLY DELETED MASK leaves the old
-- part on disk for old_parts_lifetime (480 s by default on a server): an erased visitor
-- id or a decided visit's IP address stayed readable in those files. The cleanup thread
-- also backs off to one look in 300 s while it finds nothing (measured here: outdated
-- parts of visit_ips still on disk after 90 s); for these tables it looks every second.
--
-- The lifetime guards a merge's result against a power cut before the OS has written it.
-- The small tables (addresses, sessions, requests) drop old parts at once and fsync each
-- merge's result instead. events merges all the time: fsync there tripled p99 at half
-- load in the bench (115 ms against 33), so its old parts live 60 s, past the kernel's
-- usual 30 s writeback, and an erased id is gone from its files within about a minute.
ALTER TABLE visit_ips MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
ALTER TABLE form_domains MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
ALTER TABLE sessions MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
ALTER TABLE enriched_sessions MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
ALTER TABLE erasure_requests MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
ALTER TABLE events MODIFY SETTING old_parts_lifetime = 60, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0;
