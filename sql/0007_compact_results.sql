-- Tastebuds schema, part 7: result tables written at COPY speed, without bloat, in compact types.
--
-- user_similarities and collaborative_recommendations keep their names, columns and meaning, but become
-- partitioned parents (RANGE on user_id) with exactly one partition: the current generation. A full run writes
-- the next generation into a table of its own (binary COPY into an unindexed table, then keys, indexes and
-- foreign keys built once), and swaps it in one transaction: detach and drop the old partition, attach the new one
-- (StagedTableSwap, docs/architecture.md). Readers, views and the read function use the parent and never notice;
-- nothing is deleted row by row, so nothing is left dead for vacuum. Per-user writes between runs go to the parent
-- as before (rows are routed to the current partition).
--
-- Constraints keep their names (named here: generated names would dodge the old table's, still present).
-- Compact types: real scores (7 significant digits, ample for scores in [-1, 1] and ranking), smallint ranks.
-- metric stays text: operators' queries and the read function's argument compare it with 'cosine' etc.
-- Dropped: user_similarities_user_metric_score_idx (the primary key's (user_id, metric) prefix serves per-user
-- reads), user_similarities_score_idx and collaborative_recommendations_score_idx (global "top pairs" debug queries
-- scan instead; they cost ~40 B a row and index maintenance on every write).

-- The view that counts rows of both tables is re-created from its own current definition (whatever earlier
-- migrations made it), so this migration does not restate it.
CREATE TEMP TABLE saved_view (definition text) ON COMMIT DROP;
INSERT INTO saved_view SELECT pg_get_viewdef('user_listening_stats'::regclass);
DROP VIEW user_listening_stats;

-- user_similarities --------------------------------------------------------------------------------

ALTER TABLE user_similarities RENAME TO user_similarities_before_0007;

CREATE TABLE user_similarities (
    user_id          bigint      NOT NULL
                     CONSTRAINT user_similarities_user_id_fkey REFERENCES lastfm_users (id) ON DELETE CASCADE,
    similar_user_id  bigint      NOT NULL
                     CONSTRAINT user_similarities_similar_user_id_fkey REFERENCES lastfm_users (id) ON DELETE CASCADE,
    computed_at      timestamptz NOT NULL DEFAULT now(),
    similarity_score real        NOT NULL CONSTRAINT user_similarities_similarity_score_check CHECK (similarity_score BETWEEN -1 AND 1),
    track_score      real        NULL CONSTRAINT user_similarities_track_score_check CHECK (track_score IS NULL OR track_score BETWEEN -1 AND 1),
    album_score      real        NULL CONSTRAINT user_similarities_album_score_check CHECK (album_score IS NULL OR album_score BETWEEN -1 AND 1),
    artist_score     real        NULL CONSTRAINT user_similarities_artist_score_check CHECK (artist_score IS NULL OR artist_score BETWEEN -1 AND 1),
    shared_tracks    integer     NOT NULL DEFAULT 0 CONSTRAINT user_similarities_shared_tracks_check CHECK (shared_tracks >= 0),
    shared_albums    integer     NOT NULL DEFAULT 0 CONSTRAINT user_similarities_shared_albums_check CHECK (shared_albums >= 0),
    shared_artists   integer     NOT NULL DEFAULT 0 CONSTRAINT user_similarities_shared_artists_check CHECK (shared_artists >= 0),
    shared_items     integer     NOT NULL DEFAULT 0 CONSTRAINT user_similarities_shared_items_check CHECK (shared_items >= 0),
    rank             smallint    NOT NULL CONSTRAINT user_similarities_rank_check CHECK (rank >= 1),
    metric           text        NOT NULL CONSTRAINT user_similarities_metric_check CHECK (metric IN ('cosine', 'jaccard', 'pearson')),
    CONSTRAINT user_similarities_not_self CHECK (user_id <> similar_user_id)
) PARTITION BY RANGE (user_id);

CREATE TABLE user_similarities_g0 PARTITION OF user_similarities FOR VALUES FROM (MINVALUE) TO (MAXVALUE);

INSERT INTO user_similarities (user_id, similar_user_id, computed_at, similarity_score, track_score, album_score,
                               artist_score, shared_tracks, shared_albums, shared_artists, shared_items, rank, metric)
SELECT user_id, similar_user_id, computed_at, similarity_score, track_score, album_score,
       artist_score, shared_tracks, shared_albums, shared_artists, shared_items, rank, metric
FROM user_similarities_before_0007;

DROP TABLE user_similarities_before_0007;
ALTER TABLE user_similarities ADD CONSTRAINT user_similarities_pkey PRIMARY KEY (user_id, metric, similar_user_id);

-- collaborative_recommendations ------------------------------------------------------------------

ALTER TABLE collaborative_recommendations RENAME TO collaborative_recommendations_before_0007;

CREATE TABLE collaborative_recommendations (
    user_id               bigint      NOT NULL
                          CONSTRAINT collaborative_recommendations_user_id_fkey REFERENCES lastfm_users (id) ON DELETE CASCADE,
    track_id              bigint      NOT NULL
                          CONSTRAINT collaborative_recommendations_track_id_fkey REFERENCES tracks (id) ON DELETE CASCADE,
    generated_at          timestamptz NOT NULL DEFAULT now(),
    recommendation_score  real        NOT NULL CONSTRAINT collaborative_recommendations_recommendation_score_check CHECK (recommendation_score >= 0),
    supporting_neighbours integer     NOT NULL CONSTRAINT collaborative_recommendations_supporting_neighbours_check CHECK (supporting_neighbours >= 1),
    rank                  smallint    NOT NULL CONSTRAINT collaborative_recommendations_rank_check CHECK (rank >= 1),
    metric                text        NOT NULL CONSTRAINT collaborative_recommendations_metric_check CHECK (metric IN ('cosine', 'jaccard', 'pearson')),
    explanation           jsonb       NOT NULL DEFAULT '{}'::jsonb
) PARTITION BY RANGE (user_id);

CREATE TABLE collaborative_recommendations_g0 PARTITION OF collaborative_recommendations
    FOR VALUES FROM (MINVALUE) TO (MAXVALUE);

INSERT INTO collaborative_recommendations (user_id, track_id, generated_at, recommendation_score, supporting_neighbours,
                                           rank, metric, explanation)
SELECT user_id, track_id, generated_at, recommendation_score, supporting_neighbours, rank, metric, explanation
FROM collaborative_recommendations_before_0007;

DROP TABLE collaborative_recommendations_before_0007;
ALTER TABLE collaborative_recommendations
    ADD CONSTRAINT collaborative_recommendations_pkey PRIMARY KEY (user_id, metric, track_id);
ALTER TABLE collaborative_recommendations
    ADD CONSTRAINT collaborative_recommendations_rank_uq UNIQUE (user_id, metric, rank);

DO $$ BEGIN EXECUTE 'CREATE VIEW user_listening_stats AS ' || (SELECT definition FROM saved_view); END $$;

-- ==== BEGIN read-function block (0007) ===========================================================
-- The read function, unchanged in name, arguments and output columns; it casts the compact types back.
-- It keeps 0006's body: dismissed and disliked tracks filtered at once, ranks renumbered 1..n over what is left.
CREATE OR REPLACE FUNCTION get_collaborative_recommendations(username text, lim integer DEFAULT 10, metric text DEFAULT NULL)
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
    SELECT (row_number() OVER (ORDER BY cr.rank))::integer, t.name, a.name, cr.recommendation_score::double precision,
           cr.explanation, cr.metric, cr.generated_at
    FROM collaborative_recommendations cr
    JOIN tracks t  ON t.id = cr.track_id
    JOIN artists a ON a.id = t.artist_id
    WHERE cr.user_id = (SELECT id FROM target)
      AND cr.metric = (SELECT chosen.metric FROM chosen)
      AND NOT EXISTS (SELECT 1 FROM recommendation_feedback f
                      WHERE f.user_id = cr.user_id AND f.track_id = cr.track_id AND f.kind IN ('dismissed', 'disliked'))
    ORDER BY cr.rank
    LIMIT greatest(coalesce(lim, 10), 0);
$$;
-- ==== END read-function block (0007) =============================================================
