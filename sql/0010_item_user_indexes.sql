-- The incremental new-user step reads, for each of the newcomer's items, a window of at most
-- Algorithm:MaxHoldersPerItem holders in ascending user id (see docs/algorithms.md, "The incremental step"): an index
-- on (item, user_id) gives that window by a range scan that stops after the cap, where the (item) index made it read
-- and sort every holder of a popular item. The new indexes keep the old names and serve every query the old ones served
-- (their leading column is the same). Built inside the migration's transaction: writes to the interaction tables wait
-- for the build (seconds at 100,000 users).

DROP INDEX user_track_interactions_track_idx;
CREATE INDEX user_track_interactions_track_idx ON user_track_interactions (track_id, user_id);

DROP INDEX user_album_interactions_album_idx;
CREATE INDEX user_album_interactions_album_idx ON user_album_interactions (album_id, user_id);

DROP INDEX user_artist_interactions_artist_idx;
CREATE INDEX user_artist_interactions_artist_idx ON user_artist_interactions (artist_id, user_id);
