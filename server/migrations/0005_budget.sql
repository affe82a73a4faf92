-- Participatory budget (громадський бюджет): a hromada's cycles, the projects residents
-- submit with their cost lines, images and (once funded) milestones, the ballots of
-- verified residents, and notifications that may be about a project (issue 6).

CREATE TABLE budget_cycles (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    year BIGINT NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    -- the money to share, in whole hryvnias
    total BIGINT NOT NULL CHECK (total BETWEEN 1 AND 1000000000),
    -- the first day of each phase, YYYY-MM-DD (Kyiv calendar days): text order is date order
    submission_on TEXT NOT NULL CHECK (length(submission_on) = 10),
    review_on TEXT NOT NULL CHECK (length(review_on) = 10),
    voting_on TEXT NOT NULL CHECK (length(voting_on) = 10),
    results_on TEXT NOT NULL CHECK (length(results_on) = 10),
    implementation_on TEXT NOT NULL CHECK (length(implementation_on) = 10),
    rule_kind TEXT NOT NULL CHECK (rule_kind IN ('choose', 'fit_budget')),
    -- "choose up to rule_max"; NULL for fit_budget
    rule_max BIGINT CHECK (rule_max IS NULL OR rule_max BETWEEN 1 AND 20),
    one_per_category BIGINT NOT NULL DEFAULT 0 CHECK (one_per_category IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (submission_on < review_on AND review_on < voting_on AND voting_on < results_on
        AND results_on < implementation_on),
    CHECK ((rule_kind = 'choose') = (rule_max IS NOT NULL)),
    CHECK (rule_kind = 'choose' OR one_per_category = 0)
);
-- The hromada's list: newest year first, then the newest submission date.
CREATE INDEX budget_cycles_list ON budget_cycles (katottg, year, submission_on, id);

CREATE TABLE budget_projects (
    id TEXT PRIMARY KEY,
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES users (id),
    -- the author's name as it was at submission (lists show it)
    author_name TEXT NOT NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    description TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('education', 'health', 'culture', 'sport',
        'environment', 'transport', 'safety', 'social', 'other')),
    address TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'changes_requested', 'accepted',
        'rejected')),
    -- the cost now: the author's total, or the one staff set after review
    cost BIGINT NOT NULL CHECK (cost BETWEEN 1 AND 1000000000),
    -- the author's total, kept when staff changed the cost, with their reason
    original_cost BIGINT CHECK (original_cost IS NULL OR original_cost BETWEEN 1 AND 1000000000),
    cost_note TEXT,
    -- what staff asked to change, or why they rejected it; kept when the author resubmits
    review_note TEXT,
    reviewed_at TEXT,
    -- implementation progress, per cent (funded projects, after voting)
    progress BIGINT CHECK (progress IS NULL OR progress BETWEEN 0 AND 100),
    submitted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- ballot items refer to (id, cycle_id): a vote is always for a project of its cycle
    UNIQUE (id, cycle_id),
    CHECK ((original_cost IS NULL) = (cost_note IS NULL)),
    CHECK (status NOT IN ('changes_requested', 'rejected') OR review_note IS NOT NULL),
    CHECK (status <> 'accepted' OR review_note IS NULL),
    CHECK (status NOT IN ('changes_requested', 'accepted', 'rejected') OR reviewed_at IS NOT NULL)
);
CREATE INDEX budget_projects_by_cycle ON budget_projects (cycle_id, status, submitted_at, id);
-- "My projects" and the daily limit.
CREATE INDEX budget_projects_by_author ON budget_projects (author_id, submitted_at);

-- The author's estimate, line by line, in order; its sum is the author's total.
CREATE TABLE budget_cost_lines (
    project_id TEXT NOT NULL REFERENCES budget_projects (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL CHECK (seq BETWEEN 0 AND 29),
    item TEXT NOT NULL CHECK (length(item) BETWEEN 1 AND 200),
    amount BIGINT NOT NULL CHECK (amount BETWEEN 1 AND 1000000000),
    PRIMARY KEY (project_id, seq)
);

-- Images of a project; the bytes live in the media folder (budget/{id}.jpg and
-- budget/{id}_thumb.jpg), re-encoded without metadata.
CREATE TABLE budget_project_images (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES budget_projects (id) ON DELETE CASCADE,
    sort_order BIGINT NOT NULL CHECK (sort_order BETWEEN 0 AND 4),
    bytes BIGINT NOT NULL CHECK (bytes > 0),
    created_at TEXT NOT NULL,
    UNIQUE (project_id, sort_order)
);

-- The stages of carrying out a funded project, in order.
CREATE TABLE budget_milestones (
    project_id TEXT NOT NULL REFERENCES budget_projects (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL CHECK (seq BETWEEN 0 AND 19),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    due_on TEXT NOT NULL CHECK (length(due_on) = 10),
    done BIGINT NOT NULL CHECK (done IN (0, 1)),
    PRIMARY KEY (project_id, seq)
);

-- One ballot per person per cycle: the UNIQUE constraint decides, whatever the code does.
-- A ballot always has at least one item (withdrawing a vote deletes the ballot).
CREATE TABLE budget_ballots (
    id TEXT PRIMARY KEY,
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL,
    UNIQUE (cycle_id, user_id),
    UNIQUE (id, cycle_id)
);

-- The projects a ballot chooses, in the order chosen. Both foreign keys carry the cycle,
-- so an item can only name a project of its ballot's cycle.
CREATE TABLE budget_ballot_items (
    ballot_id TEXT NOT NULL,
    cycle_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    seq BIGINT NOT NULL CHECK (seq >= 0),
    PRIMARY KEY (ballot_id, project_id),
    FOREIGN KEY (ballot_id, cycle_id) REFERENCES budget_ballots (id, cycle_id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, cycle_id) REFERENCES budget_projects (id, cycle_id) ON DELETE CASCADE
);
-- The count of votes: COUNT(*) ... WHERE cycle_id = ? GROUP BY project_id.
CREATE INDEX budget_ballot_items_votes ON budget_ballot_items (cycle_id, project_id);

-- Notifications may now be about a project too (exactly one of the three). SQLite cannot
-- change a column's constraints, so the table is made again.
CREATE TABLE notifications_v5 (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('appeal_registered', 'appeal_assigned',
        'appeal_no_further_study', 'appeal_extended', 'appeal_returned', 'appeal_forwarded',
        'appeal_answered', 'appeal_closed', 'petition_published', 'petition_rejected',
        'petition_reached', 'petition_answered', 'petition_not_supported',
        'project_accepted', 'project_changes_requested', 'project_rejected',
        'project_cost_changed')),
    appeal_id TEXT REFERENCES appeals (id) ON DELETE CASCADE,
    petition_id TEXT REFERENCES petitions (id) ON DELETE CASCADE,
    project_id TEXT REFERENCES budget_projects (id) ON DELETE CASCADE,
    notified_at TEXT NOT NULL,
    read_at TEXT,
    CHECK ((CASE WHEN appeal_id IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN petition_id IS NULL THEN 0 ELSE 1 END)
        + (CASE WHEN project_id IS NULL THEN 0 ELSE 1 END) = 1),
    CHECK ((appeal_id IS NOT NULL) = (kind LIKE 'appeal%')),
    CHECK ((petition_id IS NOT NULL) = (kind LIKE 'petition%')),
    CHECK ((project_id IS NOT NULL) = (kind LIKE 'project%'))
);
INSERT INTO notifications_v5 (id, user_id, kind, appeal_id, petition_id, project_id,
        notified_at, read_at)
    SELECT id, user_id, kind, appeal_id, petition_id, NULL, notified_at, read_at
    FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v5 RENAME TO notifications;
CREATE INDEX notifications_by_user ON notifications (user_id, notified_at, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
