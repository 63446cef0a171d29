-- Deleted means gone from disk. A merge, a mutation or APPLY DELETED MASK leaves the old
-- part on disk for old_parts_lifetime (480 s by default on a server): an erased visitor
-- id or a decided visit's IP address stayed readable in those files. For the tables
-- that hold ids or addresses the old part goes at the next look of the cleanup thread,
-- every second: the thread otherwise backs off to one look in 300 s while it finds
-- nothing (measured here: outdated parts of visit_ips still on disk after 90 s).
-- The default lifetime guards a merge's result against a power cut before it reaches the
-- disk: here every merge's result is fsynced instead (min_compressed_bytes_to_fsync_after_merge,
-- fsync_part_directory), so that the old part is not needed.
ALTER TABLE visit_ips MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
ALTER TABLE form_domains MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
ALTER TABLE events MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
ALTER TABLE sessions MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
ALTER TABLE enriched_sessions MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
ALTER TABLE erasure_requests MODIFY SETTING old_parts_lifetime = 0, cleanup_delay_period = 1, max_cleanup_delay_period = 1, cleanup_delay_period_random_add = 0, min_compressed_bytes_to_fsync_after_merge = 1, fsync_part_directory = 1;
