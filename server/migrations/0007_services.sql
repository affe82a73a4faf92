-- Public services and consultations (issue 8): the hromada's catalogue of administrative
-- services (its ЦНАП), frequently asked questions with answers, and conversations in
-- which residents ask and staff answer; notifications may be about a consultation.

-- Where and when services are given: one description per hromada.
CREATE TABLE service_centres (
    katottg TEXT PRIMARY KEY REFERENCES hromadas (katottg),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 3 AND 200),
    address TEXT NOT NULL CHECK (length(address) BETWEEN 5 AND 200),
    hours TEXT NOT NULL CHECK (length(hours) BETWEEN 3 AND 1000),
    phone TEXT NOT NULL CHECK (length(phone) <= 50),
    email TEXT NOT NULL CHECK (length(email) <= 254),
    updated_at TEXT NOT NULL
);

CREATE TABLE services (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    situation TEXT NOT NULL CHECK (situation IN ('child', 'moving', 'property', 'business',
        'social', 'documents', 'other')),
    -- the situation's place in the catalogue (0 = child … 6 = other)
    situation_pos BIGINT NOT NULL CHECK (situation_pos BETWEEN 0 AND 6),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 5 AND 200),
    -- the title folded for ordering the same way on every database
    sort_key TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (length(purpose) BETWEEN 10 AND 1000),
    who TEXT NOT NULL CHECK (length(who) <= 1000),
    -- JSON arrays of strings
    documents TEXT NOT NULL,
    keywords TEXT NOT NULL,
    -- in kopiyky; NULL when free
    fee BIGINT CHECK (fee IS NULL OR fee BETWEEN 1 AND 100000000),
    fee_note TEXT NOT NULL CHECK (length(fee_note) <= 300),
    term_days BIGINT NOT NULL CHECK (term_days BETWEEN 0 AND 365),
    term_working BIGINT NOT NULL CHECK (term_working IN (0, 1)),
    term_note TEXT NOT NULL CHECK (length(term_note) <= 300),
    online_url TEXT CHECK (online_url IS NULL OR length(online_url) BETWEEN 8 AND 500),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- answers and links refer to (id, katottg): a link never crosses hromadas
    UNIQUE (id, katottg)
);
CREATE INDEX services_catalogue ON services (katottg, situation_pos, sort_key, id);

CREATE TABLE service_answers (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    question TEXT NOT NULL CHECK (length(question) BETWEEN 5 AND 300),
    sort_key TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (length(answer) BETWEEN 10 AND 4000),
    -- the service it is about, if any (the domain checks it is of the same hromada)
    service_id TEXT REFERENCES services (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX service_answers_list ON service_answers (katottg, sort_key, id);
CREATE INDEX service_answers_by_service ON service_answers (service_id);

CREATE TABLE consultations (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    user_id TEXT NOT NULL REFERENCES users (id),
    subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 130),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'answered', 'closed')),
    -- how many messages; raised in the transaction that adds one
    messages BIGINT NOT NULL CHECK (messages >= 1),
    created_at TEXT NOT NULL,
    -- when the last message was written (or the consultation closed)
    updated_at TEXT NOT NULL,
    -- since when staff are awaited
    waiting_since TEXT,
    CHECK ((status = 'waiting') = (waiting_since IS NOT NULL))
);
-- The staff's queue: waiting ones oldest first; answered and closed newest first.
CREATE INDEX consultations_waiting ON consultations (katottg, status, waiting_since, id);
CREATE INDEX consultations_by_status ON consultations (katottg, status, updated_at, id);
-- A person's own, newest first.
CREATE INDEX consultations_by_user ON consultations (user_id, updated_at, id);

CREATE TABLE consultation_messages (
    id TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    sender TEXT NOT NULL CHECK (sender IN ('resident', 'staff')),
    author_id TEXT NOT NULL REFERENCES users (id),
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    -- JSON array of {kind, id, title}: the catalogue as it was when the reply was written
    links TEXT NOT NULL,
    written_at TEXT NOT NULL
);
CREATE INDEX consultation_messages_order ON consultation_messages (consultation_id, written_at, id);
CREATE INDEX consultation_messages_by_author ON consultation_messages (author_id, written_at);

-- Notifications may be about a consultation: the table is rebuilt with the new column
-- and its checks (SQLite cannot change a CHECK in place).
CREATE TABLE notifications_v7 (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('appeal_registered', 'appeal_assigned',
        'appeal_no_further_study', 'appeal_extended', 'appeal_returned', 'appeal_forwarded',
        'appeal_answered', 'appeal_closed', 'petition_published', 'petition_rejected',
        'petition_reached', 'petition_answered', 'petition_not_supported',
        'project_accepted', 'project_changes_requested', 'project_rejected',
        'project_cost_changed', 'consultation_answered')),
    appeal_id TEXT REFERENCES appeals (id) ON DELETE CASCADE,
    petition_id TEXT REFERENCES petitions (id) ON DELETE CASCADE,
    project_id TEXT REFERENCES budget_projects (id) ON DELETE CASCADE,
    consultation_id TEXT REFERENCES consultations (id) ON DELETE CASCADE,
    notified_at TEXT NOT NULL,
    read_at TEXT,
    CHECK ((CASE WHEN appeal_id IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN petition_id IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN project_id IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN consultation_id IS NULL THEN 0 ELSE 1 END) = 1),
    CHECK ((appeal_id IS NOT NULL) = (kind LIKE 'appeal%')),
    CHECK ((petition_id IS NOT NULL) = (kind LIKE 'petition%')),
    CHECK ((project_id IS NOT NULL) = (kind LIKE 'project%')),
    CHECK ((consultation_id IS NOT NULL) = (kind LIKE 'consultation%'))
);
INSERT INTO notifications_v7 (id, user_id, kind, appeal_id, petition_id, project_id,
        consultation_id, notified_at, read_at)
    SELECT id, user_id, kind, appeal_id, petition_id, project_id, NULL, notified_at, read_at
    FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v7 RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, notified_at, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
