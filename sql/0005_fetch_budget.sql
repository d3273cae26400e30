-- Tastebuds schema, part 5: spend the Last.fm budget on what changed (change detection, tags on their own cadence).

-- A user whose profile play count and loved-tracks total are what the last full fetch stored costs two requests
-- (user.getInfo and one page of user.getLovedTracks with limit 1) and is logged 'unchanged'.
ALTER TABLE data_fetch_logs DROP CONSTRAINT data_fetch_logs_status_check;
ALTER TABLE data_fetch_logs ADD CONSTRAINT data_fetch_logs_status_check
    CHECK (status IN ('running', 'succeeded', 'unchanged', 'partial', 'failed', 'skipped', 'cancelled', 'abandoned'));

-- What change detection compares with, written by each full fetch. NULL = not known (never fully fetched by a
-- worker with change detection): the next fetch is a full one. last_fetched_at keeps its meaning: the last time the
-- user's data was confirmed, by a full fetch or by an 'unchanged' check (the only column an unchanged check writes).
ALTER TABLE lastfm_users ADD COLUMN loved_tracks_total integer NULL CHECK (loved_tracks_total IS NULL OR loved_tracks_total >= 0);
ALTER TABLE lastfm_users ADD COLUMN last_full_fetch_at timestamptz NULL;
ALTER TABLE lastfm_users ADD COLUMN tags_fetched_at timestamptz NULL;
-- Each full fetch draws where in (FullRefreshAfter / 2, FullRefreshAfter] (and the same for TagsRefreshAfter) the user
-- comes due next, so that users fetched in the same run do not all come due in the same later run.
ALTER TABLE lastfm_users ADD COLUMN refresh_fraction double precision NULL
    CHECK (refresh_fraction IS NULL OR (refresh_fraction > 0.5 AND refresh_fraction <= 1));

-- The user's personal tags as last fetched (user.getTopTags, then user.getPersonalTags per tag and kind), in the order
-- served. A full fetch between two tag fetches applies these to the interactions it writes, exactly as a tag fetch
-- would: personal tags are refreshed every Fetching:TagsRefreshAfter, not on every fetch.
CREATE TABLE user_personal_tags (
    user_id   bigint  NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    position  integer NOT NULL CHECK (position >= 0),
    tag       text    NOT NULL,
    kind      text    NOT NULL CHECK (kind IN ('track', 'album', 'artist')),
    name      text    NOT NULL,
    artist    text    NULL,
    PRIMARY KEY (user_id, position)
);

-- The last verdict of a user (a user whose last fetch failed is fetched in full, and early in the run) is read from
-- data_fetch_logs through data_fetch_logs_user_started_idx, not stored twice.
