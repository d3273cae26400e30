-- Tastebuds schema, part 13: the social graph, for the hybrid's friend scorer (docs/algorithms.md "Side signals").
--
-- One row per friendship a fetch saw in user.getFriends (Lastfm:DiscoverFriends): user_id listed friend_id among
-- their friends. A full fetch that fetched the user's friends replaces that user's rows in the same transaction as
-- the user's other rows; a fetch that did not (discovery off, or an unchanged user: 2 requests) keeps them.
-- A friend is always a lastfm_users row: the same transaction first adds every friend not yet known as a user to
-- fetch (as discovery always did), so the edge never waits for the friend's own fetch and never dangles. Last.fm
-- friendships are mutual; the rows are kept as served (one direction per fetched user) and the reader makes them
-- symmetric. A friend who is inactive or has no stored interactions contributes nothing until they have some.
CREATE TABLE user_friends (
    user_id   bigint NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    friend_id bigint NOT NULL REFERENCES lastfm_users (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, friend_id),
    CONSTRAINT user_friends_not_self_check CHECK (user_id <> friend_id)
);

-- Deleting a user cascades through friend_id too: without this index that would read the whole table.
CREATE INDEX user_friends_friend_idx ON user_friends (friend_id);

COMMENT ON TABLE user_friends IS
    'Friendships from user.getFriends (Lastfm:DiscoverFriends), replaced per user by each fetch that fetched them.';
