-- Tastebuds schema, part 15: tags by name in the explanations of the hybrid's tag scorer.
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
