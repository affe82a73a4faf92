-- How far the scheduler has gone: the time up to which it announced what became due, so
-- that the process that takes the scheduler over (or one that starts again) goes on from
-- there and nothing due in between is missed.
CREATE TABLE scheduler_marks (
    name TEXT PRIMARY KEY,
    until TEXT NOT NULL
);
