-- Appeals of residents to the hromada's authority, their timeline, files and ratings,
-- and the notifications that tell the author what changed (issue 4).

CREATE TABLE appeal_categories (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- the name in lower case: one name per hromada, whatever the case
    name_key TEXT NOT NULL,
    sort_order BIGINT NOT NULL,
    -- archived: old appeals keep it, the form no longer offers it
    archived BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT NOT NULL,
    UNIQUE (katottg, name_key)
);
CREATE INDEX appeal_categories_list ON appeal_categories (katottg, sort_order, id);

-- The last registration number given per hromada and year, raised inside the
-- transaction that registers an appeal.
CREATE TABLE appeal_counters (
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    reg_year BIGINT NOT NULL CHECK (reg_year BETWEEN 1970 AND 9999),
    last_seq BIGINT NOT NULL CHECK (last_seq >= 1),
    PRIMARY KEY (katottg, reg_year)
);

CREATE TABLE appeals (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    -- ЗВ-2026-000123
    number TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('proposal', 'application', 'complaint')),
    category_id TEXT NOT NULL REFERENCES appeal_categories (id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    location TEXT,
    latitude DOUBLE PRECISION CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude DOUBLE PRECISION CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    -- the contact details the law requires, as sent with the appeal
    author_name TEXT NOT NULL,
    author_address TEXT NOT NULL,
    author_email TEXT NOT NULL,
    is_public BIGINT NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('registered', 'in_progress', 'forwarded',
        'returned', 'answered', 'closed')),
    -- calendar days from registration: 30, 15 (no further study), at most 45 (extended)
    term_days BIGINT NOT NULL CHECK (term_days BETWEEN 15 AND 45),
    registered_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    assignee TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (katottg, number),
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK (status <> 'in_progress' OR assignee IS NOT NULL)
);
-- The public list and "my appeals": newest first.
CREATE INDEX appeals_public ON appeals (katottg, is_public, registered_at, id);
CREATE INDEX appeals_by_author ON appeals (author_id, registered_at, id);
-- The staff's inbox and its counts: open appeals by deadline.
CREATE INDEX appeals_inbox ON appeals (katottg, status, due_at, id);

-- The timeline: one row per step, in order.
CREATE TABLE appeal_steps (
    appeal_id TEXT NOT NULL REFERENCES appeals (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL CHECK (seq >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('registered', 'assigned', 'no_further_study',
        'extended', 'returned', 'forwarded', 'answered', 'closed')),
    step_at TEXT NOT NULL,
    by_user TEXT REFERENCES users (id) ON DELETE SET NULL,
    -- the staff member's name as it was; NULL for steps of the author or the system
    by_name TEXT,
    -- the step as the API shows it (JSON of hromada_api::appeals::Step)
    data TEXT NOT NULL,
    PRIMARY KEY (appeal_id, seq)
);

-- Photos of an appeal and files of its answer; the bytes live in the media folder
-- (appeals/{id}.jpg, appeals/{id}_thumb.jpg, appeals/{id}.pdf).
CREATE TABLE appeal_files (
    id TEXT PRIMARY KEY,
    appeal_id TEXT NOT NULL REFERENCES appeals (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('photo', 'answer')),
    sort_order BIGINT NOT NULL CHECK (sort_order BETWEEN 0 AND 4),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'application/pdf')),
    bytes BIGINT NOT NULL CHECK (bytes > 0),
    has_thumbnail BIGINT NOT NULL CHECK (has_thumbnail IN (0, 1)),
    created_at TEXT NOT NULL,
    UNIQUE (appeal_id, role, sort_order),
    CHECK (has_thumbnail = 0 OR media_type = 'image/jpeg')
);

-- The author's rating of the answer: one per appeal, changeable.
CREATE TABLE appeal_ratings (
    appeal_id TEXT PRIMARY KEY REFERENCES appeals (id) ON DELETE CASCADE,
    stars BIGINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment TEXT,
    rated_at TEXT NOT NULL
);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('appeal_registered', 'appeal_assigned',
        'appeal_no_further_study', 'appeal_extended', 'appeal_returned', 'appeal_forwarded',
        'appeal_answered', 'appeal_closed')),
    appeal_id TEXT NOT NULL REFERENCES appeals (id) ON DELETE CASCADE,
    notified_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_by_user ON notifications (user_id, notified_at, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
