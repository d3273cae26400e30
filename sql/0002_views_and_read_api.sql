-- Tastebuds schema, part 2: the views operators query and the read API applications call.

CREATE VIEW user_listening_stats AS
SELECT u.id                                           AS user_id,
       u.username,
       u.is_active,
       u.last_fetched_at,
       u.total_playcount,
       coalesce(t.tracks, 0)                          AS tracks_count,
       coalesce(t.track_plays, 0)                     AS track_plays,
       coalesce(t.loved_tracks, 0)                    AS loved_tracks_count,
       coalesce(al.albums, 0)                         AS albums_count,
       coalesce(ar.artists, 0)                        AS artists_count,
       coalesce(s.neighbours, 0)                      AS neighbours_count,
       coalesce(r.recommendations, 0)                 AS recommendations_count
FROM lastfm_users u
LEFT JOIN (SELECT user_id, count(*) AS tracks, sum(play_count) AS track_plays,
                  count(*) FILTER (WHERE is_loved) AS loved_tracks
           FROM user_track_interactions GROUP BY user_id) t ON t.user_id = u.id
LEFT JOIN (SELECT user_id, count(*) AS albums FROM user_album_interactions GROUP BY user_id) al
       ON al.user_id = u.id
LEFT JOIN (SELECT user_id, count(*) AS artists FROM user_artist_interactions GROUP BY user_id) ar
       ON ar.user_id = u.id
LEFT JOIN (SELECT user_id, count(*) AS neighbours FROM user_similarities GROUP BY user_id) s
       ON s.user_id = u.id
LEFT JOIN (SELECT user_id, count(*) AS recommendations FROM collaborative_recommendations GROUP BY user_id) r
       ON r.user_id = u.id;

CREATE VIEW track_popularity_across_users AS
SELECT tr.id                                           AS track_id,
       tr.name                                         AS track_name,
       ar.name                                         AS artist_name,
       count(*)                                        AS listeners,
       sum(uti.play_count)                             AS total_plays,
       count(*) FILTER (WHERE uti.is_loved)            AS loved_by,
       round(avg(uti.play_count)::numeric, 2)          AS avg_plays_per_listener
FROM user_track_interactions uti
JOIN tracks tr  ON tr.id = uti.track_id
JOIN artists ar ON ar.id = tr.artist_id
GROUP BY tr.id, tr.name, ar.name;

-- The read API: one call, answered from the (user_id, metric, rank) unique index.
-- With no metric given it answers from the metric generated most recently for that user
-- (cosine first on a tie). An unknown username gives no rows, not an error.
CREATE FUNCTION get_collaborative_recommendations(username text, lim integer DEFAULT 10, metric text DEFAULT NULL)
RETURNS TABLE (rank integer, track text, artist text, score double precision, explanation jsonb,
               metric text, generated_at timestamptz)
LANGUAGE sql STABLE
AS $$
    WITH target AS (
        SELECT u.id FROM lastfm_users u WHERE lower(u.username) = lower(get_collaborative_recommendations.username)
    ), chosen AS (
        SELECT coalesce(get_collaborative_recommendations.metric,
                        (SELECT cr.metric FROM collaborative_recommendations cr
                         WHERE cr.user_id = (SELECT id FROM target) AND cr.rank = 1
                         ORDER BY cr.generated_at DESC, cr.metric = 'cosine' DESC, cr.metric
                         LIMIT 1)) AS metric
    )
    SELECT cr.rank, t.name, a.name, cr.recommendation_score, cr.explanation, cr.metric, cr.generated_at
    FROM collaborative_recommendations cr
    JOIN tracks t  ON t.id = cr.track_id
    JOIN artists a ON a.id = t.artist_id
    WHERE cr.user_id = (SELECT id FROM target)
      AND cr.metric = (SELECT chosen.metric FROM chosen)
    ORDER BY cr.rank
    LIMIT greatest(coalesce(lim, 10), 0);
$$;
