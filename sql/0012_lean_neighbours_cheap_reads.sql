-- Tastebuds schema, part 12: user_similarities in 116 B a row instead of 141, and a read function that renders a page
-- of recommendations with set-based look-ups.
--
-- user_similarities -----------------------------------------------------------------------------------------------
-- Same columns, names, order and meaning; narrower types where the range allows:
--   user_id, similar_user_id  bigint  -> integer   lastfm_users ids come from an identity counter; 2,147,483,647 users
--                                                   is far off (a larger id fails the insert loudly: "integer out of
--                                                   range"). The foreign keys to lastfm_users (bigint) stay: integer
--                                                   and bigint share btree operators, so they and every join by id work.
--   shared_tracks, _albums, _artists, _items  integer -> smallint   counts of items two users share, bounded by a
--                                                   user's fetched items (hundreds; FetchLimits); the writers saturate at
--                                                   32,767 (docs/operations.md).
-- Why both: the heap row was 24 B header + 65 B of data (two bigints, timestamptz, four reals, four integers, a
-- smallint, the metric text) = 96 B aligned + 4 B line pointer, and the primary key (user_id, metric,
-- similar_user_id) 8 + 24 B (text padded to the next bigint) = 32 B + 4 B, over a 90 % leaf fill. Now: 24 + 49 = 73 ->
-- 80 B (+4) on the heap and 8 + 16 = 24 B (+4) in the key: 84 + 32 = 116 B a row, measured (docs/benchmarks.md).
-- Narrowing only the counts, or only the ids, leaves the heap row at 88 B (alignment): both are needed.
-- computed_at stays per row: the incremental step stamps a newcomer's rows with its own time, and the recommendation
-- stage reports the newest one.
--
-- user_id is the partition key, whose type cannot be altered: the table is made anew (as in 0007: the same parent with
-- one partition, constraints under their names, rows copied in key order, then the key), and the view that counts
-- neighbours is dropped and re-created from its own current definition around it.

CREATE TEMP TABLE saved_view (definition text) ON COMMIT DROP;
INSERT INTO saved_view SELECT pg_get_viewdef('user_listening_stats'::regclass);
DROP VIEW user_listening_stats;

ALTER TABLE user_similarities RENAME TO user_similarities_before_0012;

CREATE TABLE user_similarities (
    user_id          integer     NOT NULL
                     CONSTRAINT user_similarities_user_id_fkey REFERENCES lastfm_users (id) ON DELETE CASCADE,
    similar_user_id  integer     NOT NULL
                     CONSTRAINT user_similarities_similar_user_id_fkey REFERENCES lastfm_users (id) ON DELETE CASCADE,
    computed_at      timestamptz NOT NULL DEFAULT now(),
    similarity_score real        NOT NULL CONSTRAINT user_similarities_similarity_score_check CHECK (similarity_score BETWEEN -1 AND 1),
    track_score      real        NULL CONSTRAINT user_similarities_track_score_check CHECK (track_score IS NULL OR track_score BETWEEN -1 AND 1),
    album_score      real        NULL CONSTRAINT user_similarities_album_score_check CHECK (album_score IS NULL OR album_score BETWEEN -1 AND 1),
    artist_score     real        NULL CONSTRAINT user_similarities_artist_score_check CHECK (artist_score IS NULL OR artist_score BETWEEN -1 AND 1),
    shared_tracks    smallint    NOT NULL DEFAULT 0 CONSTRAINT user_similarities_shared_tracks_check CHECK (shared_tracks >= 0),
    shared_albums    smallint    NOT NULL DEFAULT 0 CONSTRAINT user_similarities_shared_albums_check CHECK (shared_albums >= 0),
    shared_artists   smallint    NOT NULL DEFAULT 0 CONSTRAINT user_similarities_shared_artists_check CHECK (shared_artists >= 0),
    shared_items     smallint    NOT NULL DEFAULT 0 CONSTRAINT user_similarities_shared_items_check CHECK (shared_items >= 0),
    rank             smallint    NOT NULL CONSTRAINT user_similarities_rank_check CHECK (rank >= 1),
    metric           text        NOT NULL CONSTRAINT user_similarities_metric_check CHECK (metric IN ('cosine', 'jaccard', 'pearson')),
    CONSTRAINT user_similarities_not_self CHECK (user_id <> similar_user_id)
) PARTITION BY RANGE (user_id);

-- A generation like the ones StagedTableSwap makes: written once, so autovacuum stays off on it (see StagedTableSwap).
CREATE TABLE user_similarities_g0012 PARTITION OF user_similarities FOR VALUES FROM (MINVALUE) TO (MAXVALUE)
    WITH (autovacuum_enabled = false, toast.autovacuum_enabled = false);

INSERT INTO user_similarities (user_id, similar_user_id, computed_at, similarity_score, track_score, album_score,
                               artist_score, shared_tracks, shared_albums, shared_artists, shared_items, rank, metric)
SELECT user_id, similar_user_id, computed_at, similarity_score, track_score, album_score, artist_score,
       least(shared_tracks, 32767), least(shared_albums, 32767), least(shared_artists, 32767), least(shared_items, 32767),
       rank, metric
FROM user_similarities_before_0012
ORDER BY user_id, metric, rank;

DROP TABLE user_similarities_before_0012;
ALTER TABLE user_similarities ADD CONSTRAINT user_similarities_pkey PRIMARY KEY (user_id, metric, similar_user_id);
ANALYZE user_similarities;

DO $$ BEGIN EXECUTE 'CREATE VIEW user_listening_stats AS ' || (SELECT definition FROM saved_view); END $$;

COMMENT ON COLUMN user_similarities.shared_items IS
    'Items (tracks + albums + artists) both users hold; smallint, saturated at 32767 by the writers.';

-- The read function ---------------------------------------------------------------------------------------------
-- get_collaborative_recommendations keeps its name, arguments, output and rules, and stays a SQL function over the
-- PL/pgSQL recommendation_page (a generic plan cached per session: see 0009). recommendation_page now renders the page
-- as one set-based query instead of rendering each row with recommendation_explanation:
--   * the user's rows of the chosen metric through the primary key's (user_id, metric) prefix; dismissed and disliked
--     tracks left out with one read of the user's feedback (an array), not a probe per row; sorted by rank; limited;
--   * the page's reasons unnested once (at most lim rows x reasons), and every distinct (kind, id[, track]) among them
--     looked up ONCE: a model's reasons repeat the same few history tracks from row to row (a hybrid page of 10 rows
--     with 4 reasons each names ~8 distinct tracks), so 30 track and 30 artist probes became ~8 and 8;
--   * each reason rendered as JSON text and the page's explanations assembled as text and parsed once per row into
--     jsonb: 40 jsonb_build_object calls, 60 jsonb_agg steps and 10 jsonb_strip_nulls walks cost more than the text and
--     one parse. The result is the same jsonb (the same keys, the same numbers: a float8 enters jsonb through its text
--     form either way, and to_json writes NaN or Infinity as a string as jsonb_build_object did; a NULL value leaves its
--     key out, as jsonb_strip_nulls did); the aggregates read the reasons sorted once by (row, reason).
-- Measured on the 10,000-user benchmark: ~0.48 ms of backend CPU a call instead of ~1.0-1.3 ms (docs/benchmarks.md).
-- recommendation_explanation and the view collaborative_recommendations_explained (ad-hoc SQL, one row at a time) are
-- unchanged; ReadFunctionRenderingTests holds the two renderings equal. The reader still locks collaborative_recommendations
-- before anything else (see the function's first statement).
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
                   WHEN 3 THEN concat_ws(',', '"tag":' || r.id::text, '"weight":' || to_json(r.w::float8)::text,
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
                   WHEN 3 THEN format('tagged like what you play (tag %s)', r.id)
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

