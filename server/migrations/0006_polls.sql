-- Polls and surveys (issue 7): the hromada's staff ask, residents answer once, and the
-- answers are stored normalised so that the database counts them (GROUP BY, COUNT, SUM).

CREATE TABLE polls (
    id TEXT PRIMARY KEY,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    kind TEXT NOT NULL CHECK (kind IN ('poll', 'survey')),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    intro TEXT NOT NULL CHECK (length(intro) <= 4000),
    -- the questions as JSON (the contract's `Question`s); they cannot change once anyone
    -- has answered, so the positions answers refer to stay valid
    questions TEXT NOT NULL,
    question_count BIGINT NOT NULL CHECK (question_count BETWEEN 1 AND 30),
    audience TEXT NOT NULL CHECK (audience IN ('signed_in', 'verified')),
    results_shown TEXT NOT NULL CHECK (results_shown IN ('always', 'after_answer', 'after_close')),
    opens_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    -- NULL while a draft
    published_at TEXT,
    -- people who answered; raised in the transaction that stores the response (its row
    -- lock orders answers and edits of one poll)
    responses BIGINT NOT NULL DEFAULT 0 CHECK (responses >= 0),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (opens_at < closes_at),
    CHECK (published_at IS NOT NULL OR responses = 0)
);
-- Active (soonest closing first) and past (newest closed first) lists.
CREATE INDEX polls_by_closing ON polls (katottg, closes_at, id);
-- Drafts, newest first.
CREATE INDEX polls_by_creation ON polls (katottg, created_at, id);

-- One response per person per poll.
CREATE TABLE poll_responses (
    id TEXT PRIMARY KEY,
    poll_id TEXT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    answered_at TEXT NOT NULL,
    UNIQUE (poll_id, user_id),
    -- answers refer to (id, poll_id): an answer always belongs to its response's poll
    UNIQUE (id, poll_id)
);

-- The options chosen in choice questions: one row per chosen option.
CREATE TABLE poll_answer_choices (
    response_id TEXT NOT NULL,
    poll_id TEXT NOT NULL,
    question BIGINT NOT NULL CHECK (question BETWEEN 0 AND 29),
    option_pos BIGINT NOT NULL CHECK (option_pos BETWEEN 0 AND 9),
    PRIMARY KEY (response_id, question, option_pos),
    FOREIGN KEY (response_id, poll_id) REFERENCES poll_responses (id, poll_id) ON DELETE CASCADE
);
CREATE INDEX poll_answer_choices_by_poll ON poll_answer_choices (poll_id, question, option_pos);

-- Answers to scale questions (1 to 5) and text questions: one row per answered question.
CREATE TABLE poll_answer_values (
    response_id TEXT NOT NULL,
    poll_id TEXT NOT NULL,
    question BIGINT NOT NULL CHECK (question BETWEEN 0 AND 29),
    scale BIGINT CHECK (scale IS NULL OR scale BETWEEN 1 AND 5),
    text TEXT CHECK (text IS NULL OR length(text) BETWEEN 1 AND 1000),
    -- the response's time, kept here so that texts page newest first from one index
    answered_at TEXT NOT NULL,
    PRIMARY KEY (response_id, question),
    CHECK ((scale IS NULL) <> (text IS NULL)),
    FOREIGN KEY (response_id, poll_id) REFERENCES poll_responses (id, poll_id) ON DELETE CASCADE
);
CREATE INDEX poll_answer_values_by_poll ON poll_answer_values (poll_id, question, answered_at, response_id);
