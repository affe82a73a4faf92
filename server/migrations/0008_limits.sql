-- Rate limits: sign-ups counted per client address, signatures counted per person.

CREATE TABLE signups (
    id TEXT PRIMARY KEY,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX signups_by_ip ON signups (ip, at);

CREATE INDEX petition_signatures_by_user ON petition_signatures (user_id, signed_at);
