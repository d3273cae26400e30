-- Tastebuds schema, part 4: truthful run rows, process instances, bounded counts.

-- A fetch run in which some users failed is 'partial' (not 'succeeded'): the run row says what happened.
ALTER TABLE data_fetch_logs DROP CONSTRAINT data_fetch_logs_status_check;
ALTER TABLE data_fetch_logs ADD CONSTRAINT data_fetch_logs_status_check
    CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'skipped', 'cancelled', 'abandoned'));

-- Which process wrote a row. 'host' (machine/pid) alone cannot tell a restarted container from the process
-- that crashed in it: both are PID 1 on the same host name. The instance id is random per process start and
-- the start time is the process's own, so a row whose instance is not running any more is recognised as such.
ALTER TABLE data_fetch_logs ADD COLUMN instance_id text NULL;
ALTER TABLE data_fetch_logs ADD COLUMN instance_started_at timestamptz NULL;

-- Play counts are bounded: Last.fm's heaviest listeners have a few million scrobbles in all, so a count over
-- 10^9 is a corrupt value, clamped by the worker before it is stored. With every input at most 10^9, sums in
-- the views stay far inside bigint. Existing rows are clamped first, so the constraints hold on old data.
UPDATE lastfm_users SET total_playcount = 1000000000 WHERE total_playcount > 1000000000;
UPDATE user_track_interactions SET play_count = 1000000000 WHERE play_count > 1000000000;
UPDATE user_album_interactions SET play_count = 1000000000 WHERE play_count > 1000000000;
UPDATE user_artist_interactions SET play_count = 1000000000 WHERE play_count > 1000000000;

ALTER TABLE lastfm_users ADD CONSTRAINT lastfm_users_total_playcount_bound CHECK (total_playcount <= 1000000000);
ALTER TABLE user_track_interactions ADD CONSTRAINT user_track_interactions_play_count_bound CHECK (play_count <= 1000000000);
ALTER TABLE user_album_interactions ADD CONSTRAINT user_album_interactions_play_count_bound CHECK (play_count <= 1000000000);
ALTER TABLE user_artist_interactions ADD CONSTRAINT user_artist_interactions_play_count_bound CHECK (play_count <= 1000000000);
