-- Tastebuds schema, part 15: the read function's page rendered with fewer catalog look-ups (branch read-fast).
--
-- get_collaborative_recommendations keeps its name, arguments, output (byte for byte) and rules, and stays a SQL function
-- over the PL/pgSQL recommendation_page (a generic plan cached per session, sql/0009), which still locks
-- collaborative_recommendations first, alone (the deadlock with a generation swap, sql/0012). What changes in the page
-- statement (sql/0014's body otherwise):
--   * every distinct reason is looked up once as before, but a history track's name and artist in one probe (tracks
--     joined to artists, one subplan instead of two), a neighbour's play count and loved flag in one probe (one subplan
--     instead of two), and each looked-up name written as a JSON string once per distinct reason, not once per reason;
--   * each reason's JSON object and phrase are plain concatenations (||) when every value is present: concat_ws,
--     format and to_json look up the output function of every argument's type in the catalog on every call. When a
--     value is NULL (a deleted user or track, a tag without a name, a NULL array element) the concatenation is NULL and
--     the entry falls back to sql/0014's concat_ws / format expression, so a NULL field is still left out and a NULL
--     name still prints as nothing;
--   * a weight or contribution is written through float8's text form (float8out, as to_json did), quoted when it is
--     NaN or +-Infinity (as to_json did); a component's share is round(c * 100) through its text form (as format's %s);
--   * the lists of a row (text, components, neighbours, items, friends, tags) are concatenated with their leading comma
--     and follow the fixed head of the object, instead of concat_ws over them.
-- Measured (docs/benchmarks.md, "The read function's CPU and its idle tail (branch read-fast)"): ~7 % fewer
-- instructions a call on the 10,000-user benchmark; the rest is the page's read, the jsonb parse and the executor's
-- per-call set-up, which this statement shape keeps. ReadFunctionRenderingTests holds the page equal to the row-by-row
-- rendering (recommendation_explanation, unchanged) and ReadPageMigrationTests equal to sql/0014's page.
CREATE OR REPLACE FUNCTION recommendation_page(username text, lim integer, metric text)
RETURNS TABLE (shown integer, track_name text, artist_name text, score double precision, explanation jsonb,
               method text, generated timestamptz)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    -- collaborative_recommendations is locked first, alone: a reader that meets a generation swap then waits for the
    -- parent holding no other lock. The page query below names lastfm_users, tracks and artists before it (CTEs and the
    -- final join), and the swap takes those exclusively for a moment while it holds the parent: locked in the query's
    -- order, reader and swap deadlocked (40P01; sql/0012).
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
        SELECT p.shown, p.metric, e.kind, e.id, e.w, e.n, CASE WHEN e.kind = 1 THEN p.track_id END AS held,
               CASE WHEN e.w IN ('NaN', 'Infinity', '-Infinity') THEN '"' || e.w::float8 || '"' ELSE e.w::float8::text END AS wj,
               CASE WHEN e.c IN ('NaN', 'Infinity', '-Infinity') THEN '"' || e.c::float8 || '"' ELSE e.c::float8::text END AS cj,
               round(e.c * 100)::text AS pct
        FROM page p, unnest(p.evidence_kinds, p.evidence_ids, p.evidence_weights, p.evidence_contributions)
                     WITH ORDINALITY AS e(kind, id, w, c, n)
    ), looked AS MATERIALIZED (
        -- Each distinct reason's names, looked up once (a probe for its kind only) and written as JSON once.
        SELECT y.kind, y.id, y.held, y.who, to_json(y.who)::text AS whoj, y.ta[1] AS track, to_json(y.ta[1])::text AS trackj,
               y.ta[2] AS artist, to_json(y.ta[2])::text AS artistj, y.method, to_json(y.method)::text AS methodj,
               y.tag, to_json(y.tag)::text AS tagj, coalesce(y.held_by[1], '0') AS plays,
               CASE WHEN y.kind = 1 THEN (coalesce(y.held_by[2]::boolean, false)
                                          OR EXISTS (SELECT 1 FROM recommendation_feedback f
                                                     WHERE f.user_id = y.id AND f.track_id = y.held AND f.kind = 'liked'))::text END AS loved
        FROM (
            SELECT k.kind, k.id, k.held,
                   CASE WHEN k.kind IN (1, 2) THEN (SELECT u.username FROM lastfm_users u WHERE u.id = k.id) END AS who,
                   CASE WHEN k.kind = 0 THEN (SELECT ARRAY[t.name, a.name] FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.id = k.id) END AS ta,
                   CASE WHEN k.kind = 4 THEN coalesce((SELECT m.name FROM recommendation_methods m WHERE m.code = k.id), k.id::text) END AS method,
                   CASE WHEN k.kind = 3 THEN (SELECT g.name FROM tags g WHERE g.id = k.id) END AS tag,
                   CASE WHEN k.kind = 1 THEN (SELECT ARRAY[i.play_count::text, i.is_loved::text] FROM user_track_interactions i
                                              WHERE i.user_id = k.id AND i.track_id = k.held) END AS held_by
            FROM (SELECT DISTINCT r.kind, r.id, r.held FROM reasons r) k
            OFFSET 0
        ) y
    ), explained AS (
        SELECT x.shown,
               coalesce(',"text":' || to_json(string_agg(x.phrase, '; '))::text, '')
               || coalesce(',"components":[' || string_agg(x.entry, ',') FILTER (WHERE x.kind = 4) || ']', '')
               || coalesce(',"neighbours":[' || string_agg(x.entry, ',') FILTER (WHERE x.kind = 1) || ']', '')
               || coalesce(',"items":[' || string_agg(x.entry, ',') FILTER (WHERE x.kind = 0) || ']', '')
               || coalesce(',"friends":[' || string_agg(x.entry, ',') FILTER (WHERE x.kind = 2) || ']', '')
               || coalesce(',"tags":[' || string_agg(x.entry, ',') FILTER (WHERE x.kind = 3) || ']', '') AS lists
        FROM (
            SELECT r.shown, r.kind,
                   -- Each reason as a JSON object; a field whose value is NULL is left out (as jsonb_strip_nulls did).
                   -- Each reason as a JSON object and a phrase: straight concatenation when every value is present (NULL
                   -- otherwise), else concat_ws, which leaves out a NULL field as jsonb_strip_nulls did, and format.
                   CASE r.kind
                       WHEN 1 THEN coalesce('{"username":' || l.whoj || ',"similarity":' || r.wj || ',"play_count":' || l.plays
                                            || ',"loved":' || l.loved || ',"contribution":' || r.cj || '}',
                                            '{' || concat_ws(',', '"username":' || l.whoj, '"similarity":' || r.wj, '"play_count":' || l.plays,
                                                             '"loved":' || l.loved, '"contribution":' || r.cj) || '}')
                       WHEN 0 THEN coalesce('{"track":' || l.trackj || ',"artist":' || l.artistj || ',"similarity":' || r.wj
                                            || ',"contribution":' || r.cj || '}',
                                            '{' || concat_ws(',', '"track":' || l.trackj, '"artist":' || l.artistj, '"similarity":' || r.wj,
                                                             '"contribution":' || r.cj) || '}')
                       WHEN 2 THEN coalesce('{"username":' || l.whoj || ',"weight":' || r.wj || ',"contribution":' || r.cj || '}',
                                            '{' || concat_ws(',', '"username":' || l.whoj, '"weight":' || r.wj, '"contribution":' || r.cj) || '}')
                       WHEN 3 THEN coalesce('{"tag":' || l.tagj || ',"weight":' || r.wj || ',"contribution":' || r.cj || '}',
                                            '{' || concat_ws(',', '"tag":' || l.tagj, '"weight":' || r.wj, '"contribution":' || r.cj) || '}')
                       WHEN 4 THEN coalesce('{"method":' || l.methodj || ',"weight":' || r.wj || ',"share":' || r.cj || '}',
                                            '{' || concat_ws(',', '"method":' || l.methodj, '"weight":' || r.wj, '"share":' || r.cj) || '}')
                   END AS entry,
                   CASE r.kind
                       WHEN 1 THEN coalesce(l.who || ' (similarity ' || to_char(r.w, 'FM0.00') || ') plays it',
                                            format('%s (similarity %s) plays it', l.who, to_char(r.w, 'FM0.00')))
                       WHEN 0 THEN CASE WHEN r.metric = 'item-knn'
                                        THEN coalesce('because you play ' || l.track || ' by ' || l.artist || ' (similarity ' || to_char(r.w, 'FM0.00') || ')',
                                                      format('because you play %s by %s (similarity %s)', l.track, l.artist, to_char(r.w, 'FM0.00')))
                                        ELSE coalesce('because you play ' || l.track || ' by ' || l.artist,
                                                      format('because you play %s by %s', l.track, l.artist)) END
                       WHEN 2 THEN coalesce('your friend ' || l.who || ' plays it', format('your friend %s plays it', l.who))
                       WHEN 3 THEN CASE WHEN l.tag IS NULL THEN 'tagged like what you play' ELSE 'tagged "' || l.tag || '" like what you play' END
                       WHEN 4 THEN coalesce(l.method || ' ' || r.pct || '%', format('%s %s%%', l.method, r.pct))
                   END AS phrase
            FROM reasons r
            JOIN looked l ON l.kind = r.kind AND l.id = r.id AND l.held IS NOT DISTINCT FROM r.held
            ORDER BY r.shown, r.n
        ) x
        GROUP BY x.shown
    )
    SELECT p.shown, t.name, a.name, p.recommendation_score::double precision,
           ('{"metric":' || to_json(p.metric)::text
            || ',"supporting_neighbours":' || p.supporting_neighbours
            || ',"evidence":' || to_json(p.recommendation_score::float8 - p.popularity::float8)::text
            || ',"popularity":' || to_json(p.popularity::float8)::text
            || coalesce(x.lists, '') || '}')::jsonb,
           p.metric, p.generated_at
    FROM page p
    JOIN tracks t  ON t.id = p.track_id
    JOIN artists a ON a.id = t.artist_id
    LEFT JOIN explained x ON x.shown = p.shown
    ORDER BY p.shown;
END
$$;
