-- Tastebuds schema, part 11: the explanation's look-ups probe one key each.
--
-- 0009's recommendation_explanation joined user_track_interactions and recommendation_feedback on
-- "user_id = CASE WHEN kind = 1 THEN id END AND track_id = <the row's track>". PostgreSQL planned that as a hash
-- join fed by every holder of the recommended track (1,717 index entries for a popular track at 10,000 users, read
-- once per returned row), which made get_collaborative_recommendations(user, 10) take ~2.4 ms instead of ~0.5 ms.
-- Here every look-up is a scalar subquery on its primary key or unique key, inside the CASE branch of the kind that
-- needs it, so it runs only for that kind and costs one index probe. Same signature, same output.
CREATE OR REPLACE FUNCTION recommendation_explanation(metric text, track_id bigint, recommendation_score real, supporting_neighbours smallint,
                                                      popularity real, evidence_kinds smallint[], evidence_ids bigint[],
                                                      evidence_weights real[], evidence_contributions real[])
RETURNS TABLE (explanation jsonb)
LANGUAGE sql STABLE
AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'metric', recommendation_explanation.metric,
        'supporting_neighbours', recommendation_explanation.supporting_neighbours,
        'evidence', recommendation_explanation.recommendation_score::float8 - recommendation_explanation.popularity::float8,
        'popularity', recommendation_explanation.popularity::float8,
        'text', string_agg(x.phrase, '; ' ORDER BY x.n),
        'components', jsonb_agg(x.entry ORDER BY x.n) FILTER (WHERE x.kind = 4),
        'neighbours', jsonb_agg(x.entry ORDER BY x.n) FILTER (WHERE x.kind = 1),
        'items', jsonb_agg(x.entry ORDER BY x.n) FILTER (WHERE x.kind = 0),
        'friends', jsonb_agg(x.entry ORDER BY x.n) FILTER (WHERE x.kind = 2),
        'tags', jsonb_agg(x.entry ORDER BY x.n) FILTER (WHERE x.kind = 3)))
    FROM (
        SELECT y.n, y.kind,
               CASE y.kind
                   WHEN 1 THEN jsonb_build_object('username', y.who, 'similarity', y.w::float8,
                                                  'play_count', coalesce((SELECT i.play_count FROM user_track_interactions i
                                                                          WHERE i.user_id = y.id
                                                                            AND i.track_id = recommendation_explanation.track_id), 0),
                                                  'loved', coalesce((SELECT i.is_loved FROM user_track_interactions i
                                                                     WHERE i.user_id = y.id
                                                                       AND i.track_id = recommendation_explanation.track_id), false)
                                                           OR EXISTS (SELECT 1 FROM recommendation_feedback f
                                                                      WHERE f.user_id = y.id
                                                                        AND f.track_id = recommendation_explanation.track_id
                                                                        AND f.kind = 'liked'),
                                                  'contribution', y.c::float8)
                   WHEN 0 THEN jsonb_build_object('track', y.track, 'artist', y.artist, 'similarity', y.w::float8, 'contribution', y.c::float8)
                   WHEN 2 THEN jsonb_build_object('username', y.who, 'weight', y.w::float8, 'contribution', y.c::float8)
                   WHEN 3 THEN jsonb_build_object('tag', y.id, 'weight', y.w::float8, 'contribution', y.c::float8)
                   WHEN 4 THEN jsonb_build_object('method', y.method, 'weight', y.w::float8, 'share', y.c::float8)
               END AS entry,
               CASE y.kind
                   WHEN 1 THEN format('%s (similarity %s) plays it', y.who, to_char(y.w, 'FM0.00'))
                   WHEN 0 THEN CASE WHEN recommendation_explanation.metric = 'item-knn'
                                    THEN format('because you play %s by %s (similarity %s)', y.track, y.artist, to_char(y.w, 'FM0.00'))
                                    ELSE format('because you play %s by %s', y.track, y.artist) END
                   WHEN 2 THEN format('your friend %s plays it', y.who)
                   WHEN 3 THEN format('tagged like what you play (tag %s)', y.id)
                   WHEN 4 THEN format('%s %s%%', y.method, round(y.c * 100))
               END AS phrase
        FROM (
            SELECT e.n, e.kind, e.id, e.w, e.c,
                   CASE WHEN e.kind IN (1, 2) THEN (SELECT u.username FROM lastfm_users u WHERE u.id = e.id) END AS who,
                   CASE WHEN e.kind = 0 THEN (SELECT t.name FROM tracks t WHERE t.id = e.id) END AS track,
                   CASE WHEN e.kind = 0 THEN (SELECT a.name FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.id = e.id) END AS artist,
                   CASE WHEN e.kind = 4 THEN coalesce((SELECT m.name FROM recommendation_methods m WHERE m.code = e.id), e.id::text) END AS method
            FROM unnest(recommendation_explanation.evidence_kinds, recommendation_explanation.evidence_ids,
                        recommendation_explanation.evidence_weights, recommendation_explanation.evidence_contributions)
                 WITH ORDINALITY AS e(kind, id, w, c, n)
        ) y
    ) x
$$;
