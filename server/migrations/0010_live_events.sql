-- Live events written down, so that every server process sends what any of them published
-- (on PostgreSQL, NOTIFY wakes the other processes, which read the rows), and a stream that
-- reconnects gets what it missed (Last-Event-ID). Kept for an hour.

-- The last event's number. Taking the next one locks this row until the event is
-- committed, so events are committed in the order of their numbers and a reader that
-- reads "after n" never passes over one committed late.
CREATE TABLE live_seq (n BIGINT NOT NULL);
INSERT INTO live_seq (n) VALUES (0);

CREATE TABLE live_events (
    id BIGINT PRIMARY KEY,
    -- who it is for: every stream of a hromada, one person's, or a hromada's staff's
    audience TEXT NOT NULL CHECK (audience IN ('hromada', 'user', 'staff')),
    -- the hromada's code or the person's id
    target TEXT NOT NULL,
    -- the event as the contract's JSON (hromada_api::news::LiveEvent)
    payload TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX live_events_at ON live_events (at);
