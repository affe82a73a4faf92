-- News, urgent alerts and uploaded images of a hromada (issue 3).

CREATE TABLE media (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    -- the sizes made, smallest first: "480x270;1024x576"
    sizes TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX media_by_hromada ON media (katottg, created_at);

CREATE TABLE news (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('official', 'safety', 'utilities',
        'transport', 'social', 'education', 'health', 'culture', 'economy')),
    -- the Markdown as written, and the blocks parsed from it (JSON)
    body_source TEXT NOT NULL,
    body_json TEXT NOT NULL,
    -- lower-case title, summary and body text: what searches compare with
    search_text TEXT NOT NULL,
    cover_id TEXT REFERENCES media (id),
    -- 'published' with a future published_at is scheduled
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    published_at TEXT,
    -- the order of feeds: published_at, or for a draft its last change
    feed_at TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((status = 'draft') = (published_at IS NULL))
);
-- The public feed: WHERE katottg = ? AND status = 'published' AND feed_at <= now
-- ORDER BY feed_at DESC, id DESC.
CREATE INDEX news_feed ON news (katottg, status, feed_at, id);
-- Staff's list of everything, newest first.
CREATE INDEX news_all ON news (katottg, feed_at, id);
-- The live ticker: items whose publication time arrives.
CREATE INDEX news_due ON news (published_at);

CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'danger')),
    -- 1 info, 2 warning, 3 danger: lists show the most severe first
    severity_rank BIGINT NOT NULL CHECK (severity_rank BETWEEN 1 AND 3),
    body TEXT NOT NULL,
    area TEXT,
    starts_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (expires_at > starts_at)
);
CREATE INDEX alerts_by_hromada ON alerts (katottg, expires_at);
CREATE INDEX alerts_by_start ON alerts (starts_at);
CREATE INDEX alerts_by_expiry ON alerts (expires_at);
