-- Tastebuds schema, part 8: user_vector_stats kept in bulk too.
--
-- 0006's functions filtered with user_id = ANY (users). For the few users a fetch writes that is an index lookup,
-- but a bulk load (one COPY of millions of rows for 100,000 users, as the scale benchmark or an import does) made
-- the statement trigger compare every row with every element of a 100,000-element array: minutes of CPU. A join
-- with the unnested array lets the planner choose: index lookups for a few users, a hash join for many.

CREATE OR REPLACE FUNCTION user_item_signals_of(users bigint[])
RETURNS TABLE (user_id bigint, kind smallint, item_id bigint, play_count bigint, loved boolean)
LANGUAGE sql STABLE
AS $$
    WITH wanted AS (SELECT DISTINCT w.id FROM unnest(users) AS w(id))
    SELECT i.user_id, 0::smallint, i.track_id, i.play_count, i.is_loved OR f.user_id IS NOT NULL
    FROM wanted JOIN user_track_interactions i ON i.user_id = wanted.id
    LEFT JOIN recommendation_feedback f ON f.user_id = i.user_id AND f.track_id = i.track_id AND f.kind = 'liked'
    UNION ALL
    SELECT f.user_id, 0::smallint, f.track_id, 0, true
    FROM wanted JOIN recommendation_feedback f ON f.user_id = wanted.id
    WHERE f.kind = 'liked'
      AND NOT EXISTS (SELECT 1 FROM user_track_interactions i WHERE i.user_id = f.user_id AND i.track_id = f.track_id)
    UNION ALL
    SELECT i.user_id, 1::smallint, i.album_id, i.play_count, i.loved_tracks > 0
    FROM wanted JOIN user_album_interactions i ON i.user_id = wanted.id
    UNION ALL
    SELECT i.user_id, 2::smallint, i.artist_id, i.play_count, i.loved_tracks > 0
    FROM wanted JOIN user_artist_interactions i ON i.user_id = wanted.id;
$$;

CREATE OR REPLACE FUNCTION refresh_user_vector_stats(users bigint[]) RETURNS void
LANGUAGE sql
AS $$
    DELETE FROM user_vector_stats s USING (SELECT DISTINCT w.id FROM unnest(users) AS w(id)) wanted
    WHERE s.user_id = wanted.id;
    INSERT INTO user_vector_stats
    SELECT s.user_id, s.kind, count(*), count(*) FILTER (WHERE s.loved), count(*) FILTER (WHERE s.play_count > 0),
           count(*) FILTER (WHERE s.loved AND s.play_count > 0),
           coalesce(sum(ln(1 + s.play_count::float8) ^ 2), 0),
           coalesce(sum(ln(1 + s.play_count::float8)) FILTER (WHERE s.loved), 0),
           coalesce(sum(s.play_count::float8 ^ 2), 0),
           coalesce(sum(s.play_count::float8) FILTER (WHERE s.loved), 0)
    FROM user_item_signals_of(users) s
    JOIN lastfm_users u ON u.id = s.user_id
    GROUP BY s.user_id, s.kind;
$$;
