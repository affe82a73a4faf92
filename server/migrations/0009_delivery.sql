-- Reaching people when the app is closed: push devices, alert subscriptions, what each
-- person wants sent, one-time account tokens, and the delivery table a worker sends from.

-- The person's language (emails and pushes), whether the address is confirmed, whether
-- mail to it bounced for good, and a new address waiting for its confirmation.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'uk' CHECK (language IN ('uk', 'en'));
ALTER TABLE users ADD COLUMN email_confirmed_at TEXT;
ALTER TABLE users ADD COLUMN email_failing_at TEXT;
ALTER TABLE users ADD COLUMN pending_email TEXT;
ALTER TABLE users ADD COLUMN email_frequency TEXT NOT NULL DEFAULT 'immediately'
    CHECK (email_frequency IN ('immediately', 'daily', 'never'));
-- Accounts made before this migration had no way to confirm: take them as confirmed.
UPDATE users SET email_confirmed_at = created_at;

-- Server-wide secrets, encrypted with the server's key (HROMADA_SECRET_KEY): the VAPID
-- private key, made at first start so that every process signs with the same one.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    -- base64url of nonce || AES-256-GCM ciphertext
    sealed TEXT NOT NULL,
    -- for a public half that needs no secrecy (the VAPID public key)
    public_part TEXT,
    created_at TEXT NOT NULL
);

-- A browser's push subscription: one row a device (the endpoint is unique).
CREATE TABLE push_subscriptions (
    id TEXT PRIMARY KEY,
    endpoint TEXT NOT NULL UNIQUE,
    -- scheme://host[:port] of the endpoint: whose push service it is
    origin TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    expires_at TEXT,
    -- the signed-in person whose notifications it gets (NULL: alerts only)
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    language TEXT NOT NULL DEFAULT 'uk' CHECK (language IN ('uk', 'en')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);

-- Which devices get which hromada's urgent alerts (anyone's device, signed in or not).
CREATE TABLE alert_subscriptions (
    subscription_id TEXT NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    katottg TEXT NOT NULL REFERENCES hromadas (katottg),
    -- also the alerts "for your information"
    info BIGINT NOT NULL DEFAULT 0 CHECK (info IN (0, 1)),
    created_at TEXT NOT NULL,
    PRIMARY KEY (katottg, subscription_id)
);
CREATE INDEX alert_subscriptions_by_device ON alert_subscriptions (subscription_id);

-- Registrations of alert subscriptions, counted per client address (rate limit).
CREATE TABLE push_registrations (
    id TEXT PRIMARY KEY,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX push_registrations_by_ip ON push_registrations (ip, at);

-- A person's choice per topic and channel; a missing row is the topic's default.
CREATE TABLE notification_settings (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    in_app BIGINT NOT NULL CHECK (in_app IN (0, 1)),
    push BIGINT NOT NULL CHECK (push IN (0, 1)),
    email BIGINT NOT NULL CHECK (email IN (0, 1)),
    PRIMARY KEY (user_id, topic)
);

-- One-time tokens sent by email: only their SHA-256 is kept.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'confirm')),
    -- the address a confirmation proves (the new one, when changing it)
    email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX account_tokens_by_user ON account_tokens (user_id, purpose);

-- Requests for a reset link, counted per client address and per email (rate limit).
CREATE TABLE reset_requests (
    id TEXT PRIMARY KEY,
    ip TEXT NOT NULL,
    email TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX reset_requests_by_ip ON reset_requests (ip, at);
CREATE INDEX reset_requests_by_email ON reset_requests (email, at);

-- Everything that must be sent, written in the transaction of its cause; the delivery
-- worker sends it, retries with backoff, and marks it done.
--   job 'alert':        fan an alert out to the devices subscribed to its hromada
--   job 'notification': send a notification by the channels its person chose
--   job 'staff':        tell a hromada's staff (who chose email) of new work waiting
--   job 'push':         one push message to one device
--   job 'email':        one email
--   job 'digest':       one person's daily digest
--   job 'digest_item':  a line waiting for its digest (payload: its title, text, link)
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    job TEXT NOT NULL CHECK (job IN ('alert', 'notification', 'staff', 'push', 'email', 'digest',
        'digest_item')),
    -- what it is (a NotificationKind code, or alert, password_reset, confirm_email, …)
    kind TEXT NOT NULL,
    alert_id TEXT REFERENCES alerts (id) ON DELETE CASCADE,
    notification_id TEXT REFERENCES notifications (id) ON DELETE CASCADE,
    subscription_id TEXT REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    appeal_id TEXT REFERENCES appeals (id) ON DELETE CASCADE,
    -- email: the address; push: the push service's origin
    recipient TEXT,
    -- what to send: JSON, sealed with the server's key where it holds a secret
    payload TEXT,
    -- push Topic / email Message-ID: the same on every retry
    dedup TEXT NOT NULL,
    -- what makes the row one of a kind (fan-out of alert X to device Y, …): a worker
    -- that dies half-way and is followed by another never makes a second
    unique_key TEXT NOT NULL UNIQUE,
    urgency TEXT,
    -- when the push stops being worth delivering
    expires_at TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    due_at TEXT NOT NULL,
    -- a process working on it holds it until then; after, another may take it
    leased_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    CHECK (state <> 'sent' OR sent_at IS NOT NULL),
    CHECK (job <> 'alert' OR alert_id IS NOT NULL),
    CHECK (job <> 'notification' OR notification_id IS NOT NULL),
    CHECK (job <> 'push' OR subscription_id IS NOT NULL),
    CHECK (job <> 'email' OR recipient IS NOT NULL)
);
CREATE INDEX deliveries_due ON deliveries (state, due_at);
CREATE INDEX deliveries_by_appeal ON deliveries (appeal_id, created_at);
