-- Hromada foundation schema. Portable between SQLite and PostgreSQL:
-- TEXT primary keys made in Rust, times as fixed-width RFC 3339 UTC text
-- (YYYY-MM-DDTHH:MM:SS.mmmZ, so text order is time order), integers as BIGINT,
-- booleans as BIGINT 0/1 with a CHECK.

CREATE TABLE hromadas (
    katottg TEXT PRIMARY KEY CHECK (length(katottg) = 19),
    name TEXT NOT NULL,
    -- lower case (Unicode), one apostrophe form: what searches compare with
    search_name TEXT NOT NULL,
    -- a-z only key that sorts in Ukrainian alphabetical order on every collation
    sort_key TEXT NOT NULL,
    raion TEXT NOT NULL,
    oblast TEXT NOT NULL,
    oblast_katottg TEXT NOT NULL,
    settlements BIGINT NOT NULL CHECK (settlements >= 0),
    cities BIGINT NOT NULL CHECK (cities >= 0),
    petition_signatures BIGINT NOT NULL DEFAULT 250
        CHECK (petition_signatures BETWEEN 1 AND 1000000),
    petition_days BIGINT NOT NULL DEFAULT 60
        CHECK (petition_days BETWEEN 1 AND 365)
);
CREATE INDEX hromadas_by_sort_key ON hromadas (sort_key, katottg);
CREATE INDEX hromadas_by_oblast ON hromadas (oblast_katottg, sort_key, katottg);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    full_name TEXT NOT NULL,
    -- lower-case email and name, for the administrator's search
    search_text TEXT NOT NULL,
    address TEXT NOT NULL,
    hromada TEXT NOT NULL REFERENCES hromadas (katottg),
    verification TEXT NOT NULL DEFAULT 'none'
        CHECK (verification IN ('none', 'pending', 'verified', 'refused')),
    verification_note TEXT,
    verification_requested_at TEXT,
    is_admin BIGINT NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    created_at TEXT NOT NULL,
    CHECK (verification <> 'pending' OR verification_requested_at IS NOT NULL)
);
CREATE INDEX users_pending ON users (hromada, verification, verification_requested_at, id);

CREATE TABLE staff (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, katottg)
);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token, hex: the token itself is never stored
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_failures (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    -- seconds since the Unix epoch
    at_epoch BIGINT NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures (email, at_epoch);
CREATE INDEX login_failures_by_ip ON login_failures (ip, at_epoch);

CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    -- SHA-256 of the request that first used the key
    fingerprint TEXT NOT NULL,
    -- NULL while the first request is still running
    status BIGINT CHECK (status IS NULL OR status BETWEEN 200 AND 299),
    body TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
