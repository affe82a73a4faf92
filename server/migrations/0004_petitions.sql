-- Local electronic petitions (Article 23-1 of the Law "On citizens' appeals"): the
-- hromada's rules, the petitions, their signatures, and notifications that may be about
-- a petition as well as an appeal (issue 5).

-- Whether only verified residents may sign; a new hromada starts with yes.
ALTER TABLE hromadas ADD COLUMN petition_verified_only BIGINT NOT NULL DEFAULT 1
    CHECK (petition_verified_only IN (0, 1));

CREATE TABLE petitions (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    author_id TEXT NOT NULL REFERENCES users (id),
    -- the author's name and email as they were at submission (the law shows both)
    author_name TEXT NOT NULL,
    author_email TEXT NOT NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body TEXT NOT NULL,
    -- lower-case title and text: what searches compare with
    search_text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('moderation', 'collecting', 'consideration',
        'answered', 'not_supported', 'rejected')),
    -- signatures given (the author's included), kept in the transaction that adds one
    signatures BIGINT NOT NULL DEFAULT 0 CHECK (signatures >= 0),
    -- the hromada's number, frozen at publication
    needed BIGINT NOT NULL CHECK (needed >= 1),
    submitted_at TEXT NOT NULL,
    published_at TEXT,
    ends_at TEXT,
    -- the order of "newest": publication, or submission before it
    listed_at TEXT NOT NULL,
    -- when moderation (2 working days) or the answer (10 working days) is due
    due_at TEXT,
    reached_at TEXT,
    decision TEXT CHECK (decision IS NULL OR decision IN ('supported', 'partly_supported',
        'not_supported')),
    answer_text TEXT,
    answered_at TEXT,
    answered_by TEXT REFERENCES users (id),
    -- the staff member's name as it was
    answered_by_name TEXT,
    rejection_reason TEXT,
    moderated_at TEXT,
    closed_at TEXT,
    -- the appeal it became when its period ended without the number
    appeal_id TEXT REFERENCES appeals (id),
    CHECK ((status IN ('moderation', 'rejected')) = (published_at IS NULL)),
    CHECK ((published_at IS NULL) = (ends_at IS NULL)),
    CHECK (status <> 'moderation' OR signatures = 0),
    CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL)),
    CHECK ((status IN ('consideration', 'answered')) = (reached_at IS NOT NULL)),
    CHECK ((status = 'answered') = (decision IS NOT NULL)),
    CHECK ((decision IS NULL) = (answer_text IS NULL)),
    CHECK ((decision IS NULL) = (answered_at IS NULL)),
    CHECK (status IN ('moderation', 'consideration') OR due_at IS NULL),
    CHECK (status NOT IN ('moderation', 'consideration') OR due_at IS NOT NULL),
    CHECK (appeal_id IS NULL OR status = 'not_supported')
);
-- The tabs: WHERE katottg = ? AND status = ? ORDER BY listed_at DESC, id DESC (newest),
-- or ends_at (ending soonest).
CREATE INDEX petitions_list ON petitions (katottg, status, listed_at, id);
CREATE INDEX petitions_ending ON petitions (katottg, status, ends_at, id);
-- "My petitions", newest first.
CREATE INDEX petitions_by_author ON petitions (author_id, submitted_at, id);
-- The ticker: collecting petitions whose period ended.
CREATE INDEX petitions_due ON petitions (status, ends_at);

-- One signature per person per petition: the UNIQUE constraint decides, whatever the
-- code does. `seq` is the order of signing (1 is the author's, at publication); the
-- transaction that adds a row raises `petitions.signatures` to the same number.
CREATE TABLE petition_signatures (
    petition_id TEXT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL CHECK (seq >= 1),
    user_id TEXT NOT NULL REFERENCES users (id),
    -- the signer's name as it was when signing: the public list shows it
    full_name TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    PRIMARY KEY (petition_id, seq),
    UNIQUE (petition_id, user_id)
);

-- Notifications now say what they are about: an appeal or a petition (exactly one).
-- SQLite cannot change a column's constraints, so the table is made again.
CREATE TABLE notifications_v4 (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('appeal_registered', 'appeal_assigned',
        'appeal_no_further_study', 'appeal_extended', 'appeal_returned', 'appeal_forwarded',
        'appeal_answered', 'appeal_closed', 'petition_published', 'petition_rejected',
        'petition_reached', 'petition_answered', 'petition_not_supported')),
    appeal_id TEXT REFERENCES appeals (id) ON DELETE CASCADE,
    petition_id TEXT REFERENCES petitions (id) ON DELETE CASCADE,
    notified_at TEXT NOT NULL,
    read_at TEXT,
    CHECK ((appeal_id IS NULL) <> (petition_id IS NULL)),
    CHECK ((appeal_id IS NOT NULL) = (kind LIKE 'appeal%'))
);
INSERT INTO notifications_v4 (id, user_id, kind, appeal_id, petition_id, notified_at, read_at)
    SELECT id, user_id, kind, appeal_id, NULL, notified_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v4 RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, notified_at, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
