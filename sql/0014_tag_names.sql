-- Tastebuds schema, part 14: tags by name in the explanations of the hybrid's tag scorer.
--
-- A tag reason in collaborative_recommendations (evidence kind 3) stored a number the run gave the tag, which the
-- read function could only print ("tag 12"). Now the recommendation stage registers every tag it reads from
-- user_personal_tags here before it fits (TagRegistry) and stores tags.id; the read function renders the name.
-- name_key is the tag's key as the stage unifies tags (trimmed, NFC, inner whitespace collapsed, lower case), name the
-- spelling it was first registered with. Rows are never deleted: a generation still on display may name any tag.
CREATE TABLE tags (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_key text NOT NULL UNIQUE,
    name     text NOT NULL
);

COMMENT ON TABLE tags IS
    'Personal tags by name, registered by the recommendation stage; collaborative_recommendations.evidence_ids holds tags.id for tag reasons.';

-- Tag reasons written before this migration hold a run's own numbering, which would name an unrelated tag: 0 names
-- none (identity ids start at 1), and such a reason renders without a name until the next run replaces it.
UPDATE collaborative_recommendations
SET evidence_ids = (SELECT array_agg(CASE WHEN e.kind = 3 THEN 0 ELSE e.id END ORDER BY e.n)
                    FROM unnest(evidence_kinds, evidence_ids) WITH ORDINALITY AS e(kind, id, n))
WHERE 3 = ANY (evidence_kinds);

-- The read functions ----------------------------------------------------------------------------------------------
-- recommendation_page (from 0012_lean_neighbours_cheap_reads.sql) and recommendation_explanation (from 0011) as before, except for tag reasons: the
-- entry's "tag" is the tag's name (a JSON string; absent when no registered tag has the id) instead of a number, and
-- the phrase reads 'tagged "<name>" like what you play' ('tagged like what you play' without a name).
CREATE OR REPLACE FUNCTION recommendation_page(username text, lim integer, metric text)
RETURNS TABLE (shown integer, track_name text, artist_name text, score double precision, explanation jsonb,
               method text, generated timestamptz)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    -- collaborative_recommendations is locked first, alone: a reader that meets a generation swap then waits for the
    -- parent holding no other lock. The page query below names lastfm_users, tracks and artists before it (CTEs and the
    -- final join), and the swap takes those exclusively for a moment while it holds the parent (attaching a generation
    -- removes its foreign keys' redundant triggers): locked in the query's order, reader and swap deadlocked (40P01,
    -- seen in the 10,000-user benchmark).
    PERFORM FROM collaborative_recommendations WHERE false;
    RETURN QUERY
    WITH target AS MATERIALIZED (
        SELECT u.id FROM lastfm_users u WHERE lower(u.username) = lower(recommendation_page.username)
    ), page AS MATERIALIZED (
        SELECT (row_number() OVER (ORDER BY m.rank))::integer AS shown, m.track_id, m.metric, m.rank, m.recommendation_score,
               m.supporting_neighbours, m.popularity, m.generated_at,
               m.evidence_kinds, m.evidence_ids, m.evidence_weights, m.evidence_contributions
        FROM collaborative_recommendations m
        WHERE m.user_id = (SELECT t.id FROM target t)
          AND m.metric = coalesce(recommendation_page.metric,
                                  (SELECT c.metric FROM collaborative_recommendations c
                                   WHERE c.user_id = (SELECT t.id FROM target t) AND c.rank = 1
                                   ORDER BY c.generated_at DESC, c.metric = 'cosine' DESC, c.metric LIMIT 1))
          AND m.track_id <> ALL (ARRAY(SELECT f.track_id FROM recommendation_feedback f
                                       WHERE f.user_id = (SELECT t.id FROM target t) AND f.kind IN ('dismissed', 'disliked')))
        ORDER BY m.rank
        LIMIT greatest(coalesce(lim, 10), 0)
    ), reasons AS MATERIALIZED (
        SELECT p.shown, p.metric, e.kind, e.id, e.w, e.c, e.n, CASE WHEN e.kind = 1 THEN p.track_id END AS held
        FROM page p, unnest(p.evidence_kinds, p.evidence_ids, p.evidence_weights, p.evidence_contributions)
                     WITH ORDINALITY AS e(kind, id, w, c, n)
    ), looked AS MATERIALIZED (
        SELECT k.kind, k.id, k.held,
               CASE WHEN k.kind IN (1, 2) THEN (SELECT u.username FROM lastfm_users u WHERE u.id = k.id) END AS who,
               CASE WHEN k.kind = 0 THEN (SELECT t.name FROM tracks t WHERE t.id = k.id) END AS track,
               CASE WHEN k.kind = 0 THEN (SELECT a.name FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.id = k.id) END AS artist,
               CASE WHEN k.kind = 4 THEN coalesce((SELECT m.name FROM recommendation_methods m WHERE m.code = k.id), k.id::text) END AS method,
               CASE WHEN k.kind = 3 THEN (SELECT g.name FROM tags g WHERE g.id = k.id) END AS tag,
               CASE WHEN k.kind = 1 THEN coalesce((SELECT i.play_count FROM user_track_interactions i
                                                   WHERE i.user_id = k.id AND i.track_id = k.held), 0) END AS play_count,
               CASE WHEN k.kind = 1 THEN coalesce((SELECT i.is_loved FROM user_track_interactions i
                                                   WHERE i.user_id = k.id AND i.track_id = k.held), false)
                                         OR EXISTS (SELECT 1 FROM recommendation_feedback f
                                                    WHERE f.user_id = k.id AND f.track_id = k.held AND f.kind = 'liked') END AS loved
        FROM (SELECT DISTINCT r.kind, r.id, r.held FROM reasons r) k
    ), rendered AS (
        -- Each reason as JSON text; concat_ws leaves out a field whose value is NULL, as jsonb_strip_nulls did.
        SELECT r.shown, r.kind,
               '{' || CASE r.kind
                   WHEN 1 THEN concat_ws(',', '"username":' || to_json(l.who)::text, '"similarity":' || to_json(r.w::float8)::text,
                                         '"play_count":' || l.play_count::text, '"loved":' || l.loved::text,
                                         '"contribution":' || to_json(r.c::float8)::text)
                   WHEN 0 THEN concat_ws(',', '"track":' || to_json(l.track)::text, '"artist":' || to_json(l.artist)::text,
                                         '"similarity":' || to_json(r.w::float8)::text, '"contribution":' || to_json(r.c::float8)::text)
                   WHEN 2 THEN concat_ws(',', '"username":' || to_json(l.who)::text, '"weight":' || to_json(r.w::float8)::text,
                                         '"contribution":' || to_json(r.c::float8)::text)
                   WHEN 3 THEN concat_ws(',', '"tag":' || to_json(l.tag)::text, '"weight":' || to_json(r.w::float8)::text,
                                         '"contribution":' || to_json(r.c::float8)::text)
                   WHEN 4 THEN concat_ws(',', '"method":' || to_json(l.method)::text, '"weight":' || to_json(r.w::float8)::text,
                                         '"share":' || to_json(r.c::float8)::text)
               END || '}' AS entry,
               CASE r.kind
                   WHEN 1 THEN format('%s (similarity %s) plays it', l.who, to_char(r.w, 'FM0.00'))
                   WHEN 0 THEN CASE WHEN r.metric = 'item-knn'
                                    THEN format('because you play %s by %s (similarity %s)', l.track, l.artist, to_char(r.w, 'FM0.00'))
                                    ELSE format('because you play %s by %s', l.track, l.artist) END
                   WHEN 2 THEN format('your friend %s plays it', l.who)
                   WHEN 3 THEN CASE WHEN l.tag IS NULL THEN 'tagged like what you play' ELSE format('tagged "%s" like what you play', l.tag) END
                   WHEN 4 THEN format('%s %s%%', l.method, round(r.c * 100))
               END AS phrase
        FROM reasons r
        JOIN looked l ON l.kind = r.kind AND l.id = r.id AND l.held IS NOT DISTINCT FROM r.held
        ORDER BY r.shown, r.n
    ), explained AS (
        SELECT x.shown,
               concat_ws(',', '"text":' || to_json(string_agg(x.phrase, '; '))::text,
                         '"components":[' || string_agg(x.entry, ',') FILTER (WHERE x.kind = 4) || ']',
                         '"neighbours":[' || string_agg(x.entry, ',') FILTER (WHERE x.kind = 1) || ']',
                         '"items":[' || string_agg(x.entry, ',') FILTER (WHERE x.kind = 0) || ']',
                         '"friends":[' || string_agg(x.entry, ',') FILTER (WHERE x.kind = 2) || ']',
                         '"tags":[' || string_agg(x.entry, ',') FILTER (WHERE x.kind = 3) || ']') AS lists
        FROM rendered x
        GROUP BY x.shown
    )
    SELECT p.shown, t.name, a.name, p.recommendation_score::double precision,
           ('{' || concat_ws(',', '"metric":' || to_json(p.metric)::text,
                             '"supporting_neighbours":' || p.supporting_neighbours::text,
                             '"evidence":' || to_json(p.recommendation_score::float8 - p.popularity::float8)::text,
                             '"popularity":' || to_json(p.popularity::float8)::text,
                             nullif(x.lists, '')) || '}')::jsonb,
           p.metric, p.generated_at
    FROM page p
    JOIN tracks t  ON t.id = p.track_id
    JOIN artists a ON a.id = t.artist_id
    LEFT JOIN explained x ON x.shown = p.shown
    ORDER BY p.shown;
END
$$;

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
                   WHEN 3 THEN jsonb_build_object('tag', y.tag, 'weight', y.w::float8, 'contribution', y.c::float8)
                   WHEN 4 THEN jsonb_build_object('method', y.method, 'weight', y.w::float8, 'share', y.c::float8)
               END AS entry,
               CASE y.kind
                   WHEN 1 THEN format('%s (similarity %s) plays it', y.who, to_char(y.w, 'FM0.00'))
                   WHEN 0 THEN CASE WHEN recommendation_explanation.metric = 'item-knn'
                                    THEN format('because you play %s by %s (similarity %s)', y.track, y.artist, to_char(y.w, 'FM0.00'))
                                    ELSE format('because you play %s by %s', y.track, y.artist) END
                   WHEN 2 THEN format('your friend %s plays it', y.who)
                   WHEN 3 THEN CASE WHEN y.tag IS NULL THEN 'tagged like what you play' ELSE format('tagged "%s" like what you play', y.tag) END
                   WHEN 4 THEN format('%s %s%%', y.method, round(y.c * 100))
               END AS phrase
        FROM (
            SELECT e.n, e.kind, e.id, e.w, e.c,
                   CASE WHEN e.kind IN (1, 2) THEN (SELECT u.username FROM lastfm_users u WHERE u.id = e.id) END AS who,
                   CASE WHEN e.kind = 0 THEN (SELECT t.name FROM tracks t WHERE t.id = e.id) END AS track,
                   CASE WHEN e.kind = 0 THEN (SELECT a.name FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.id = e.id) END AS artist,
                   CASE WHEN e.kind = 4 THEN coalesce((SELECT m.name FROM recommendation_methods m WHERE m.code = e.id), e.id::text) END AS method,
                   CASE WHEN e.kind = 3 THEN (SELECT g.name FROM tags g WHERE g.id = e.id) END AS tag
            FROM unnest(recommendation_explanation.evidence_kinds, recommendation_explanation.evidence_ids,
                        recommendation_explanation.evidence_weights, recommendation_explanation.evidence_contributions)
                 WITH ORDINALITY AS e(kind, id, w, c, n)
        ) y
    ) x
$$;
