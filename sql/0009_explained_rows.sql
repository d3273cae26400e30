-- Tastebuds schema, part 9: compact explanation columns, and a metric column that names the method of each row.
--
-- collaborative_recommendations stored its explanation as jsonb: ~1,100 B a row with the keys repeated in every row
-- (docs/benchmarks.md). The explanation is now data in parallel arrays, one element per reason, in the order the
-- model ranked them (largest first):
--   evidence_kinds         smallint[]  what the reason is: 0 item (a track the user plays), 1 neighbour (a similar user
--                                      who holds the track), 2 friend, 3 tag, 4 component (a hybrid's part)
--   evidence_ids           bigint[]    tracks.id for items, lastfm_users.id for neighbours and friends, the tag's id for
--                                      tags, recommendation_methods.code for components
--   evidence_weights       real[]      the similarity (neighbour: user-user; item: item-item or, for als, the history
--                                      item's weight), or the component's tuned weight
--   evidence_contributions real[]      the part of the score the reason explains; for a component its share of the score
--                                      (0..1)
-- and popularity (the popularity term's part of the score: score = evidence + popularity; 0 for model methods).
-- supporting_neighbours keeps its name and meaning for user-kNN (neighbours holding the track) and counts the reasons
-- the model found for the other methods; it becomes smallint.
-- Names (users, tracks, artists, methods) are joined when read, so they are never stale and never repeated.
-- get_collaborative_recommendations renders the same jsonb `explanation` column as before from these columns, and
-- the view collaborative_recommendations_explained does it for ad-hoc SQL (shapes in docs/algorithms.md).
--
-- metric names the method that produced the row: cosine | jaccard | pearson (user-kNN with that measure), item-knn,
-- rp3beta, als, hybrid (Algorithm:Recommender, docs/operations.md).
--
-- Dropped: the (user_id, metric, rank) unique index (~40 B a row): the read function reads a user's rows through the
-- primary key's (user_id, metric) prefix (at most RecommendationsPerUser rows) and sorts them.

-- The methods, by a small code for the hybrid's components. The worker adds a name it does not find here (a new
-- component), so the list only grows.
CREATE TABLE recommendation_methods (
    code        smallint PRIMARY KEY CONSTRAINT recommendation_methods_code_check CHECK (code >= 1),
    name        text     NOT NULL CONSTRAINT recommendation_methods_name_uq UNIQUE,
    description text     NOT NULL DEFAULT ''
);

COMMENT ON TABLE recommendation_methods IS
    'Recommendation methods by code: the code names a hybrid component in collaborative_recommendations.evidence_ids.';

INSERT INTO recommendation_methods (code, name, description) VALUES
    (1, 'cosine', 'user-kNN, cosine neighbours'),
    (2, 'jaccard', 'user-kNN, Jaccard neighbours'),
    (3, 'pearson', 'user-kNN, Pearson neighbours'),
    (4, 'item-knn', 'item-kNN, cosine item-item graph'),
    (5, 'rp3beta', 'RP3beta item-item graph'),
    (6, 'als', 'implicit ALS (conjugate gradient)'),
    (7, 'tags', 'personal tags'),
    (8, 'tags-cosine', 'personal tags, cosine item profiles (the hybrid''s tag scorer)'),
    (9, 'friends', 'friends'' items'),
    (10, 'hybrid', 'validation-tuned blend');

-- The compact columns, filled from the jsonb of the rows already there (user-kNN rows: neighbours by username).
ALTER TABLE collaborative_recommendations
    ADD COLUMN popularity             real       NOT NULL DEFAULT 0,
    ADD COLUMN evidence_kinds         smallint[] NOT NULL DEFAULT '{}',
    ADD COLUMN evidence_ids           bigint[]   NOT NULL DEFAULT '{}',
    ADD COLUMN evidence_weights       real[]     NOT NULL DEFAULT '{}',
    ADD COLUMN evidence_contributions real[]     NOT NULL DEFAULT '{}';

UPDATE collaborative_recommendations cr
SET popularity = coalesce((cr.explanation ->> 'popularity')::real, 0),
    evidence_kinds = e.kinds, evidence_ids = e.ids, evidence_weights = e.weights, evidence_contributions = e.contributions
FROM (SELECT r.user_id, r.metric, r.track_id,
             coalesce(array_agg(1::smallint ORDER BY n.ordinality) FILTER (WHERE v.id IS NOT NULL), '{}') AS kinds,
             coalesce(array_agg(v.id ORDER BY n.ordinality) FILTER (WHERE v.id IS NOT NULL), '{}') AS ids,
             coalesce(array_agg((n.value ->> 'similarity')::real ORDER BY n.ordinality) FILTER (WHERE v.id IS NOT NULL), '{}') AS weights,
             coalesce(array_agg((n.value ->> 'contribution')::real ORDER BY n.ordinality) FILTER (WHERE v.id IS NOT NULL), '{}') AS contributions
      FROM collaborative_recommendations r
      CROSS JOIN LATERAL jsonb_array_elements(coalesce(r.explanation -> 'neighbours', '[]')) WITH ORDINALITY n
      LEFT JOIN lastfm_users v ON v.username = n.value ->> 'username'
      GROUP BY 1, 2, 3) e
WHERE cr.user_id = e.user_id AND cr.metric = e.metric AND cr.track_id = e.track_id;

ALTER TABLE collaborative_recommendations DROP COLUMN explanation;
ALTER TABLE collaborative_recommendations DROP CONSTRAINT collaborative_recommendations_rank_uq;
ALTER TABLE collaborative_recommendations DROP CONSTRAINT collaborative_recommendations_metric_check;
ALTER TABLE collaborative_recommendations ADD CONSTRAINT collaborative_recommendations_metric_check
    CHECK (metric IN ('cosine', 'jaccard', 'pearson', 'item-knn', 'rp3beta', 'als', 'hybrid'));
ALTER TABLE collaborative_recommendations ADD CONSTRAINT collaborative_recommendations_evidence_check
    CHECK (cardinality(evidence_ids) = cardinality(evidence_kinds)
           AND cardinality(evidence_weights) = cardinality(evidence_kinds)
           AND cardinality(evidence_contributions) = cardinality(evidence_kinds));
ALTER TABLE collaborative_recommendations ALTER COLUMN supporting_neighbours TYPE smallint;

COMMENT ON COLUMN collaborative_recommendations.metric IS
    'The method that produced the row: cosine, jaccard, pearson (user-kNN), item-knn, rp3beta, als, hybrid.';
COMMENT ON COLUMN collaborative_recommendations.evidence_kinds IS
    'Per reason: 0 item, 1 neighbour, 2 friend, 3 tag, 4 component (hybrid); parallel to evidence_ids, _weights, _contributions.';
COMMENT ON COLUMN collaborative_recommendations.popularity IS
    'The popularity term''s part of recommendation_score (user-kNN); 0 for the model methods.';

-- The explanation of one row as jsonb (shapes in docs/algorithms.md, "Explanations"):
--   {"metric", "supporting_neighbours", "evidence", "popularity", "text",
--    "components": [{"method", "weight", "share"}],                                  hybrid
--    "neighbours": [{"username", "similarity", "play_count", "loved", "contribution"}], user-kNN (or the hybrid's part)
--    "items":      [{"track", "artist", "similarity", "contribution"}],               item-knn, rp3beta, als
--    "friends":    [{"username", "weight", "contribution"}],
--    "tags":       [{"tag", "weight", "contribution"}]}
-- with the empty lists left out. evidence = score − popularity; a neighbour's play_count and loved are what
-- user_track_interactions holds now (liked feedback counts as a love); "text" is the sentence a person reads.
-- A set-returning SQL function of one row, so that PostgreSQL inlines it into the caller's query and plans it with it
-- (once per prepared statement); callers use it as a scalar subquery: (SELECT explanation FROM recommendation_explanation(...)).
CREATE FUNCTION recommendation_explanation(metric text, track_id bigint, recommendation_score real, supporting_neighbours smallint,
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
        SELECT e.n, e.kind,
               CASE e.kind
                   WHEN 1 THEN jsonb_build_object('username', u.username, 'similarity', e.w::float8, 'play_count', coalesce(i.play_count, 0),
                                                  'loved', coalesce(i.is_loved, false) OR f.user_id IS NOT NULL, 'contribution', e.c::float8)
                   WHEN 0 THEN jsonb_build_object('track', t.name, 'artist', a.name, 'similarity', e.w::float8, 'contribution', e.c::float8)
                   WHEN 2 THEN jsonb_build_object('username', u.username, 'weight', e.w::float8, 'contribution', e.c::float8)
                   WHEN 3 THEN jsonb_build_object('tag', e.id, 'weight', e.w::float8, 'contribution', e.c::float8)
                   WHEN 4 THEN jsonb_build_object('method', coalesce(m.name, e.id::text), 'weight', e.w::float8, 'share', e.c::float8)
               END AS entry,
               CASE e.kind
                   WHEN 1 THEN format('%s (similarity %s) plays it', u.username, to_char(e.w, 'FM0.00'))
                   WHEN 0 THEN CASE WHEN recommendation_explanation.metric = 'item-knn'
                                    THEN format('because you play %s by %s (similarity %s)', t.name, a.name, to_char(e.w, 'FM0.00'))
                                    ELSE format('because you play %s by %s', t.name, a.name) END
                   WHEN 2 THEN format('your friend %s plays it', u.username)
                   WHEN 3 THEN format('tagged like what you play (tag %s)', e.id)
                   WHEN 4 THEN format('%s %s%%', coalesce(m.name, e.id::text), round(e.c * 100))
               END AS phrase
        FROM unnest(recommendation_explanation.evidence_kinds, recommendation_explanation.evidence_ids,
                    recommendation_explanation.evidence_weights, recommendation_explanation.evidence_contributions)
             WITH ORDINALITY AS e(kind, id, w, c, n)
        -- Each join's key is NULL for the other kinds, so an index probe happens only for the kind that needs it.
        LEFT JOIN lastfm_users u ON u.id = CASE WHEN e.kind IN (1, 2) THEN e.id END
        LEFT JOIN user_track_interactions i ON i.user_id = CASE WHEN e.kind = 1 THEN e.id END
                                           AND i.track_id = recommendation_explanation.track_id
        LEFT JOIN recommendation_feedback f ON f.user_id = CASE WHEN e.kind = 1 THEN e.id END
                                            AND f.track_id = recommendation_explanation.track_id AND f.kind = 'liked'
        LEFT JOIN tracks t ON t.id = CASE WHEN e.kind = 0 THEN e.id END
        LEFT JOIN artists a ON a.id = t.artist_id
        LEFT JOIN recommendation_methods m ON m.code = CASE WHEN e.kind = 4 THEN e.id END
    ) x
$$;

-- Every stored row with names and its rendered explanation, for ad-hoc SQL. The explanation is rendered per row
-- returned (after ORDER BY ... LIMIT), so filter or limit first.
CREATE VIEW collaborative_recommendations_explained AS
SELECT cr.user_id, u.username, cr.track_id, t.name AS track, a.name AS artist, cr.metric, cr.rank, cr.recommendation_score,
       cr.supporting_neighbours, cr.popularity, cr.generated_at,
       (SELECT x.explanation
        FROM recommendation_explanation(cr.metric, cr.track_id, cr.recommendation_score, cr.supporting_neighbours, cr.popularity,
                                        cr.evidence_kinds, cr.evidence_ids, cr.evidence_weights, cr.evidence_contributions) x) AS explanation
FROM collaborative_recommendations cr
JOIN lastfm_users u ON u.id = cr.user_id
JOIN tracks t ON t.id = cr.track_id
JOIN artists a ON a.id = t.artist_id;

-- ==== BEGIN read-function block (0009) ===========================================================
-- The read function, unchanged in name, arguments and output columns. It keeps 0006's rules (dismissed and disliked
-- tracks filtered at once, ranks renumbered 1..n over what is left; with no metric, the one generated last, cosine
-- first on a tie) and renders the explanation from the compact columns for the rows it returns only (after the limit).
-- collaborative_recommendations is the first relation it names, so a reader that meets a generation swap waits for
-- the parent holding no other lock (the swap's drop of the old partition takes tracks and lastfm_users exclusively for
-- a moment, to drop its foreign keys' triggers: a reader holding one of them while waiting for the parent would
-- deadlock with it).
-- The page a reader gets, in PL/pgSQL so that a session plans its query once and reuses that generic plan (an inlined
-- SQL function is planned again in every call that is not a prepared statement: ~1 ms more with the explanation joins;
-- a custom plan per call costs ~0.4 ms). get_collaborative_recommendations stays a SQL function over it (its output
-- column metric and its argument metric could not share a name in PL/pgSQL).
CREATE FUNCTION recommendation_page(username text, lim integer, metric text)
RETURNS TABLE (shown integer, track_name text, artist_name text, score double precision, explanation jsonb,
               method text, generated timestamptz)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    RETURN QUERY
    SELECT p.shown, p.track, p.artist, p.recommendation_score::double precision,
           (SELECT x.explanation
            FROM recommendation_explanation(p.metric, p.track_id, p.recommendation_score, p.supporting_neighbours, p.popularity,
                                            p.evidence_kinds, p.evidence_ids, p.evidence_weights, p.evidence_contributions) x),
           p.metric, p.generated_at
    FROM (
        SELECT (row_number() OVER (ORDER BY cr.rank))::integer AS shown, t.name AS track, a.name AS artist,
               cr.track_id, cr.metric, cr.recommendation_score, cr.supporting_neighbours, cr.popularity, cr.generated_at,
               cr.evidence_kinds, cr.evidence_ids, cr.evidence_weights, cr.evidence_contributions
        FROM collaborative_recommendations cr
        JOIN tracks t  ON t.id = cr.track_id
        JOIN artists a ON a.id = t.artist_id
        WHERE cr.user_id = (SELECT u.id FROM lastfm_users u WHERE lower(u.username) = lower(recommendation_page.username))
          AND cr.metric = coalesce(recommendation_page.metric,
                                   (SELECT c.metric FROM collaborative_recommendations c
                                    WHERE c.user_id = (SELECT u.id FROM lastfm_users u
                                                       WHERE lower(u.username) = lower(recommendation_page.username))
                                      AND c.rank = 1
                                    ORDER BY c.generated_at DESC, c.metric = 'cosine' DESC, c.metric
                                    LIMIT 1))
          AND NOT EXISTS (SELECT 1 FROM recommendation_feedback f
                          WHERE f.user_id = cr.user_id AND f.track_id = cr.track_id AND f.kind IN ('dismissed', 'disliked'))
        ORDER BY cr.rank
        LIMIT greatest(coalesce(lim, 10), 0)
    ) p
    ORDER BY p.shown;
END
$$;

CREATE OR REPLACE FUNCTION get_collaborative_recommendations(username text, lim integer DEFAULT 10, metric text DEFAULT NULL)
RETURNS TABLE (rank integer, track text, artist text, score double precision, explanation jsonb,
               metric text, generated_at timestamptz)
LANGUAGE sql STABLE
AS $$
    SELECT * FROM recommendation_page(get_collaborative_recommendations.username, get_collaborative_recommendations.lim,
                                      get_collaborative_recommendations.metric);
$$;
-- ==== END read-function block (0009) =============================================================
