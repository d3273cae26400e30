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
