-- Tastebuds schema, part 1: catalog, users, interactions, similarities, recommendations, logs.
-- Scripts are applied by DbUp in name order, each in its own transaction, and never edited after merge.

-- Catalog -----------------------------------------------------------------------------------------
-- Identity is the normalised name (NFC, trimmed, inner whitespace collapsed, lower-cased: computed by
-- the worker) per artist; MusicBrainz ids are kept as data only, since Last.fm often sends them empty.

CREATE TABLE artists (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL CHECK (btrim(name) <> ''),
    name_key    text        NOT NULL CHECK (name_key <> ''),
    mbid        text        NULL CHECK (mbid IS NULL OR mbid <> ''),
    url         text        NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT artists_name_key_uq UNIQUE (name_key)
);

CREATE TABLE albums (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    artist_id   bigint      NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    name        text        NOT NULL CHECK (btrim(name) <> ''),
    name_key    text        NOT NULL CHECK (name_key <> ''),
    mbid        text        NULL CHECK (mbid IS NULL OR mbid <> ''),
    url         text        NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT albums_artist_name_key_uq UNIQUE (artist_id, name_key)
);

CREATE TABLE tracks (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    artist_id        bigint      NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    name             text        NOT NULL CHECK (btrim(name) <> ''),
    name_key         text        NOT NULL CHECK (name_key <> ''),
    mbid             text        NULL CHECK (mbid IS NULL OR mbid <> ''),
    url              text        NULL,
    duration_seconds integer     NULL CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tracks_artist_name_key_uq UNIQUE (artist_id, name_key)
);

-- Users -------------------------------------------------------------------------------------------

CREATE TABLE lastfm_users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        text        NOT NULL CHECK (btrim(username) <> ''),
    real_name       text        NULL,
    country         text        NULL,
    total_playcount bigint      NOT NULL DEFAULT 0 CHECK (total_playcount >= 0),
    registered_at   timestamptz NULL,
    profile_url     text        NULL,
    image_url       text        NULL,
    is_active       boolean     NOT NULL DEFAULT true,
    last_fetched_at timestamptz NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Last.fm usernames are case-insensitive: "RJ" and "rj" are one user.
CREATE UNIQUE INDEX lastfm_users_username_uq ON lastfm_users (lower(username));

-- Interactions ------------------------------------------------------------------------------------
-- One row per user x item, replaced whole by each successful fetch of that user. A row has plays or a
-- love (the data-quality filter): rows with zero plays and no love are never stored.

CREATE TABLE user_track_interactions (
    user_id     bigint      NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    track_id    bigint      NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    play_count  bigint      NOT NULL DEFAULT 0 CHECK (play_count >= 0),
    is_loved    boolean     NOT NULL DEFAULT false,
    loved_at    timestamptz NULL,
    tags        text[]      NOT NULL DEFAULT '{}',
    rank        integer     NULL CHECK (rank IS NULL OR rank >= 1),
    period      text        NOT NULL DEFAULT 'overall'
                CHECK (period IN ('overall', '7day', '1month', '3month', '6month', '12month')),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, track_id),
    CONSTRAINT user_track_interactions_has_signal CHECK (play_count > 0 OR is_loved),
    CONSTRAINT user_track_interactions_loved_at CHECK (loved_at IS NULL OR is_loved)
);

CREATE INDEX user_track_interactions_track_idx ON user_track_interactions (track_id);

CREATE TABLE user_album_interactions (
    user_id      bigint      NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    album_id     bigint      NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    play_count   bigint      NOT NULL DEFAULT 0 CHECK (play_count >= 0),
    loved_tracks integer     NOT NULL DEFAULT 0 CHECK (loved_tracks >= 0),
    tags         text[]      NOT NULL DEFAULT '{}',
    rank         integer     NULL CHECK (rank IS NULL OR rank >= 1),
    period       text        NOT NULL DEFAULT 'overall'
                 CHECK (period IN ('overall', '7day', '1month', '3month', '6month', '12month')),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, album_id),
    CONSTRAINT user_album_interactions_has_signal CHECK (play_count > 0 OR loved_tracks > 0)
);

CREATE INDEX user_album_interactions_album_idx ON user_album_interactions (album_id);

CREATE TABLE user_artist_interactions (
    user_id      bigint      NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    artist_id    bigint      NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    play_count   bigint      NOT NULL DEFAULT 0 CHECK (play_count >= 0),
    loved_tracks integer     NOT NULL DEFAULT 0 CHECK (loved_tracks >= 0),
    tags         text[]      NOT NULL DEFAULT '{}',
    rank         integer     NULL CHECK (rank IS NULL OR rank >= 1),
    period       text        NOT NULL DEFAULT 'overall'
                 CHECK (period IN ('overall', '7day', '1month', '3month', '6month', '12month')),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, artist_id),
    CONSTRAINT user_artist_interactions_has_signal CHECK (play_count > 0 OR loved_tracks > 0)
);

CREATE INDEX user_artist_interactions_artist_idx ON user_artist_interactions (artist_id);

-- Similarities ------------------------------------------------------------------------------------
-- Top-K neighbours per user and metric; replaced whole by each recalculation (staging + swap).

CREATE TABLE user_similarities (
    user_id          bigint           NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    similar_user_id  bigint           NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    metric           text             NOT NULL CHECK (metric IN ('cosine', 'jaccard', 'pearson')),
    similarity_score double precision NOT NULL CHECK (similarity_score BETWEEN -1 AND 1),
    track_score      double precision NULL CHECK (track_score IS NULL OR track_score BETWEEN -1 AND 1),
    album_score      double precision NULL CHECK (album_score IS NULL OR album_score BETWEEN -1 AND 1),
    artist_score     double precision NULL CHECK (artist_score IS NULL OR artist_score BETWEEN -1 AND 1),
    shared_tracks    integer          NOT NULL DEFAULT 0 CHECK (shared_tracks >= 0),
    shared_albums    integer          NOT NULL DEFAULT 0 CHECK (shared_albums >= 0),
    shared_artists   integer          NOT NULL DEFAULT 0 CHECK (shared_artists >= 0),
    shared_items     integer          NOT NULL DEFAULT 0 CHECK (shared_items >= 0),
    rank             integer          NOT NULL CHECK (rank >= 1),
    computed_at      timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, metric, similar_user_id),
    CONSTRAINT user_similarities_not_self CHECK (user_id <> similar_user_id)
);

CREATE INDEX user_similarities_user_metric_score_idx
    ON user_similarities (user_id, metric, similarity_score DESC);
CREATE INDEX user_similarities_score_idx ON user_similarities (similarity_score DESC);

-- Recommendations ---------------------------------------------------------------------------------

CREATE TABLE collaborative_recommendations (
    user_id               bigint           NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    track_id              bigint           NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    metric                text             NOT NULL CHECK (metric IN ('cosine', 'jaccard', 'pearson')),
    recommendation_score  double precision NOT NULL CHECK (recommendation_score >= 0),
    rank                  integer          NOT NULL CHECK (rank >= 1),
    supporting_neighbours integer          NOT NULL CHECK (supporting_neighbours >= 1),
    explanation           jsonb            NOT NULL DEFAULT '{}'::jsonb,
    generated_at          timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, metric, track_id),
    CONSTRAINT collaborative_recommendations_rank_uq UNIQUE (user_id, metric, rank)
);

CREATE INDEX collaborative_recommendations_score_idx
    ON collaborative_recommendations (recommendation_score DESC);

-- Job and fetch logs ------------------------------------------------------------------------------
-- One row per job step: a run row per job run, and for fetches one row per user per run, tied by run_id.

CREATE TABLE data_fetch_logs (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id               uuid        NOT NULL,
    job_type             text        NOT NULL
                         CHECK (job_type IN ('fetch_users', 'fetch_user', 'recalculate_similarities',
                                             'generate_recommendations')),
    username             text        NULL,
    user_id              bigint      NULL REFERENCES lastfm_users (id) ON DELETE SET NULL,
    status               text        NOT NULL
                         CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'cancelled', 'abandoned')),
    started_at           timestamptz NOT NULL DEFAULT now(),
    finished_at          timestamptz NULL,
    duration_ms          bigint      NULL CHECK (duration_ms IS NULL OR duration_ms >= 0),
    tracks_fetched       integer     NOT NULL DEFAULT 0 CHECK (tracks_fetched >= 0),
    albums_fetched       integer     NOT NULL DEFAULT 0 CHECK (albums_fetched >= 0),
    artists_fetched      integer     NOT NULL DEFAULT 0 CHECK (artists_fetched >= 0),
    loved_tracks_fetched integer     NOT NULL DEFAULT 0 CHECK (loved_tracks_fetched >= 0),
    tags_fetched         integer     NOT NULL DEFAULT 0 CHECK (tags_fetched >= 0),
    requests_made        integer     NOT NULL DEFAULT 0 CHECK (requests_made >= 0),
    retries              integer     NOT NULL DEFAULT 0 CHECK (retries >= 0),
    items_written        bigint      NOT NULL DEFAULT 0 CHECK (items_written >= 0),
    error_code           integer     NULL,
    error_message        text        NULL,
    host                 text        NULL,
    details              jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT data_fetch_logs_finished CHECK ((status = 'running') = (finished_at IS NULL))
);

CREATE INDEX data_fetch_logs_started_idx ON data_fetch_logs (started_at DESC);
CREATE INDEX data_fetch_logs_run_idx ON data_fetch_logs (run_id);
CREATE INDEX data_fetch_logs_job_started_idx ON data_fetch_logs (job_type, started_at DESC);
CREATE INDEX data_fetch_logs_user_started_idx ON data_fetch_logs (lower(username), started_at DESC)
    WHERE username IS NOT NULL;
CREATE INDEX data_fetch_logs_running_idx ON data_fetch_logs (started_at) WHERE status = 'running';
