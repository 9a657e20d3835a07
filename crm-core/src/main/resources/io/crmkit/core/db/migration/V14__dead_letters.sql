-- Items from outside (a webhook delivery's message, a billing event) that failed alone, the same
-- way on every try: kept here, in their tenant, instead of failing the delivery they came in, so
-- the sender stops redelivering and an operator can see, replay or drop them. Written by the
-- module that owns the source, in the tenant's own transaction; replayed by that module's replayer.
-- item_key names the item within its source (a WhatsApp message's id), so a redelivery of the same
-- item adds no second letter. reason is the exception's type and message, never SQL.
CREATE TABLE ${schema}.dead_letters (
  organization_id   uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  source            text NOT NULL CHECK (source ~ '^[a-z][a-z0-9_]{0,29}(\.[a-z][a-z0-9_]{0,29}){0,3}$'),
  item_key          text NOT NULL CHECK (length(item_key) BETWEEN 1 AND 300),
  item              jsonb NOT NULL,
  reason            text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  attempts          integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  failed_at         timestamptz NOT NULL DEFAULT now(),
  last_replayed_at  timestamptz,
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, source, item_key)
);

-- The operators' list: newest failure first, by the (failed_at, id) keyset.
CREATE INDEX dead_letters_failed_idx ON ${schema}.dead_letters (organization_id, failed_at DESC, id DESC);

ALTER TABLE ${schema}.dead_letters ENABLE ROW LEVEL SECURITY;
CREATE POLICY dead_letters_tenant ON ${schema}.dead_letters
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));

-- Written once, counted on each failed replay, deleted when replayed or dropped; the item never changes.
GRANT SELECT, INSERT, DELETE ON ${schema}.dead_letters TO ${runtime_role};
GRANT UPDATE (reason, attempts, last_replayed_at) ON ${schema}.dead_letters TO ${runtime_role};
