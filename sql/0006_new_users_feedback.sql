-- Tastebuds schema, part 6: new users served within minutes, and feedback from applications.

-- Adding users -----------------------------------------------------------------------------------------------------
-- A plain INSERT INTO lastfm_users (username) VALUES (...) is enough: the FetchNewUsers job finds never-fetched active
-- users every minute. This function is the checked way: it trims the name, refuses what Last.fm cannot hold, and is
-- idempotent (an existing user, in any case, is returned and made active again).
CREATE FUNCTION add_lastfm_user(username text) RETURNS bigint
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    name text := btrim(add_lastfm_user.username);
    found bigint;
BEGIN
    IF name IS NULL OR name = '' THEN
        RAISE EXCEPTION 'add_lastfm_user: the username is empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF length(name) > 64 OR name ~ '[[:cntrl:][:space:]/?#&%]' THEN
        RAISE EXCEPTION 'add_lastfm_user: "%" is not a Last.fm username (at most 64 characters, no spaces, control characters or / ? # & %%)',
            left(regexp_replace(name, '[[:cntrl:]]', '?', 'g'), 80)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT u.id INTO found FROM lastfm_users u WHERE lower(u.username) = lower(name);
    IF found IS NOT NULL THEN
        UPDATE lastfm_users SET is_active = true, updated_at = now() WHERE id = found AND NOT is_active;
        RETURN found;
    END IF;
    INSERT INTO lastfm_users (username) VALUES (name)
    ON CONFLICT (lower(username)) DO UPDATE SET is_active = true
    RETURNING id INTO found;
    RETURN found;
END;
$$;

-- One row per newcomer served by the incremental step (its neighbours and recommendations, between full runs).
ALTER TABLE data_fetch_logs DROP CONSTRAINT data_fetch_logs_job_type_check;
ALTER TABLE data_fetch_logs ADD CONSTRAINT data_fetch_logs_job_type_check
    CHECK (job_type IN ('fetch_users', 'fetch_user', 'recalculate_similarities', 'generate_recommendations',
                        'serve_new_user'));

-- Feedback ---------------------------------------------------------------------------------------------------------
-- What a user said of a track: one row per (user, track), the latest word wins. 'dismissed' and 'disliked' tracks are
-- never recommended to that user again; 'liked' counts like a loved track in the user's weights.
CREATE TABLE recommendation_feedback (
    user_id    bigint      NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    track_id   bigint      NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (kind IN ('dismissed', 'disliked', 'liked')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, track_id)
);
CREATE INDEX recommendation_feedback_liked_idx ON recommendation_feedback (track_id) WHERE kind = 'liked';

CREATE FUNCTION record_recommendation_feedback(username text, track_id bigint, kind text) RETURNS void
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    who bigint;
    word text := record_recommendation_feedback.kind;
BEGIN
    IF word IS NULL OR word NOT IN ('dismissed', 'disliked', 'liked') THEN
        RAISE EXCEPTION 'record_recommendation_feedback: kind must be dismissed, disliked or liked, not %',
            coalesce(quote_literal(left(word, 40)), 'NULL') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT u.id INTO who FROM lastfm_users u WHERE lower(u.username) = lower(btrim(record_recommendation_feedback.username));
    IF who IS NULL THEN
        RAISE EXCEPTION 'record_recommendation_feedback: no Last.fm user %',
            coalesce(quote_literal(left(record_recommendation_feedback.username, 80)), 'NULL')
            USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = record_recommendation_feedback.track_id) THEN
        RAISE EXCEPTION 'record_recommendation_feedback: no track with id %',
            coalesce(record_recommendation_feedback.track_id::text, 'NULL') USING ERRCODE = 'no_data_found';
    END IF;
    -- The same word twice changes nothing (created_at stays the first one's); a new word replaces the old.
    INSERT INTO recommendation_feedback AS f (user_id, track_id, kind)
    VALUES (who, record_recommendation_feedback.track_id, word)
    ON CONFLICT (user_id, track_id) DO UPDATE SET kind = excluded.kind, created_at = now()
        WHERE f.kind <> excluded.kind;
END;
$$;

-- Per-user vector statistics ---------------------------------------------------------------------------------------
-- The incremental step scores one newcomer against every stored user through the inverted index; cosine and Jaccard
-- need each other user's norm and item count over ALL their items, which this table keeps per user and kind, so
-- the step reads one row per candidate instead of every candidate's interactions. The sums are kept raw, so the
-- norm of any weighting the worker is configured with follows: with f(p) = ln(1+p) (or p, or [p>0]) and bonus b,
--   ‖w‖² = Σ f(p)² + 2b·Σ_loved f(p) + b²·loved.
-- Triggers on the interaction tables and on liked feedback keep it exact after every statement.
CREATE TABLE user_vector_stats (
    user_id          bigint           NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    kind             smallint         NOT NULL CHECK (kind BETWEEN 0 AND 2),
    items            integer          NOT NULL,
    loved            integer          NOT NULL,
    played           integer          NOT NULL,
    played_loved     integer          NOT NULL,
    sum_log_sq       double precision NOT NULL,
    sum_log_loved    double precision NOT NULL,
    sum_raw_sq       double precision NOT NULL,
    sum_raw_loved    double precision NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Every (user, kind, item, plays, loved) the algorithms read for the given users: interactions, with a liked track
-- counted as loved (and as an item with no plays when the user has no row for it).
CREATE FUNCTION user_item_signals_of(users bigint[])
RETURNS TABLE (user_id bigint, kind smallint, item_id bigint, play_count bigint, loved boolean)
LANGUAGE sql STABLE
AS $$
    SELECT i.user_id, 0::smallint, i.track_id, i.play_count, i.is_loved OR f.user_id IS NOT NULL
    FROM user_track_interactions i
    LEFT JOIN recommendation_feedback f ON f.user_id = i.user_id AND f.track_id = i.track_id AND f.kind = 'liked'
    WHERE i.user_id = ANY (users)
    UNION ALL
    SELECT f.user_id, 0::smallint, f.track_id, 0, true
    FROM recommendation_feedback f
    WHERE f.user_id = ANY (users) AND f.kind = 'liked'
      AND NOT EXISTS (SELECT 1 FROM user_track_interactions i WHERE i.user_id = f.user_id AND i.track_id = f.track_id)
    UNION ALL
    SELECT i.user_id, 1::smallint, i.album_id, i.play_count, i.loved_tracks > 0
    FROM user_album_interactions i WHERE i.user_id = ANY (users)
    UNION ALL
    SELECT i.user_id, 2::smallint, i.artist_id, i.play_count, i.loved_tracks > 0
    FROM user_artist_interactions i WHERE i.user_id = ANY (users);
$$;

CREATE FUNCTION refresh_user_vector_stats(users bigint[]) RETURNS void
LANGUAGE sql
AS $$
    DELETE FROM user_vector_stats WHERE user_id = ANY (users);
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

CREATE FUNCTION user_vector_stats_refresh_new() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM refresh_user_vector_stats(ARRAY(SELECT DISTINCT n.user_id FROM changed_new n));
    RETURN NULL;
END;
$$;

CREATE FUNCTION user_vector_stats_refresh_old() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM refresh_user_vector_stats(ARRAY(SELECT DISTINCT o.user_id FROM changed_old o));
    RETURN NULL;
END;
$$;

CREATE FUNCTION user_vector_stats_refresh_all() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM refresh_user_vector_stats(ARRAY(SELECT id FROM lastfm_users));
    RETURN NULL;
END;
$$;

CREATE FUNCTION user_vector_stats_refresh_both() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM refresh_user_vector_stats(ARRAY(SELECT n.user_id FROM changed_new n UNION SELECT o.user_id FROM changed_old o));
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['user_track_interactions', 'user_album_interactions', 'user_artist_interactions',
                             'recommendation_feedback'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_new
                        FOR EACH STATEMENT EXECUTE FUNCTION user_vector_stats_refresh_new()', t || '_stats_ins', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed_old
                        FOR EACH STATEMENT EXECUTE FUNCTION user_vector_stats_refresh_old()', t || '_stats_del', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
                        FOR EACH STATEMENT EXECUTE FUNCTION user_vector_stats_refresh_both()', t || '_stats_upd', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION user_vector_stats_refresh_all()', t || '_stats_trunc', t);
    END LOOP;
END;
$$;

SELECT refresh_user_vector_stats(ARRAY(SELECT id FROM lastfm_users));

-- Reading ----------------------------------------------------------------------------------------------------------
-- Same signature and columns as before; dismissed and disliked tracks are filtered at once (before the next run
-- rewrites the table), and the rank is renumbered over what is left, so an application always sees 1..n.
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
    SELECT (row_number() OVER (ORDER BY cr.rank))::integer, t.name, a.name, cr.recommendation_score, cr.explanation,
           cr.metric, cr.generated_at
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

-- The stats view gains the feedback counts (new columns go last: CREATE OR REPLACE VIEW keeps the old ones).
CREATE OR REPLACE VIEW user_listening_stats AS
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
       coalesce(r.recommendations, 0)                 AS recommendations_count,
       coalesce(f.dismissed, 0)                       AS dismissed_count,
       coalesce(f.disliked, 0)                        AS disliked_count,
       coalesce(f.liked, 0)                           AS liked_count
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
       ON r.user_id = u.id
LEFT JOIN (SELECT user_id, count(*) FILTER (WHERE kind = 'dismissed') AS dismissed,
                  count(*) FILTER (WHERE kind = 'disliked') AS disliked,
                  count(*) FILTER (WHERE kind = 'liked') AS liked
           FROM recommendation_feedback GROUP BY user_id) f
       ON f.user_id = u.id;
