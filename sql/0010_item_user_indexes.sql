-- The incremental new-user step reads, for each of the newcomer's items, a window of at most
-- Algorithm:MaxHoldersPerItem holders in ascending user id (see docs/algorithms.md, "Incremental step for a
-- newcomer"), and counts each recommendable track's holders. An index on (item, user_id) that carries the weight's
-- inputs gives both by index-only range scans that stop after the cap, where the (item) index made the step read and
-- sort every holder of a popular item from the heap. The new indexes keep the old names and serve every query the old
-- ones served (same leading column). Built inside the migration's transaction: writes to the interaction tables wait
-- for the build (about a minute at 100,000 users, 18 million rows).

DROP INDEX user_track_interactions_track_idx;
CREATE INDEX user_track_interactions_track_idx ON user_track_interactions (track_id, user_id) INCLUDE (play_count, is_loved);

DROP INDEX user_album_interactions_album_idx;
CREATE INDEX user_album_interactions_album_idx ON user_album_interactions (album_id, user_id) INCLUDE (play_count, loved_tracks);

DROP INDEX user_artist_interactions_artist_idx;
CREATE INDEX user_artist_interactions_artist_idx ON user_artist_interactions (artist_id, user_id) INCLUDE (play_count, loved_tracks);
