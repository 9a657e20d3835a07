-- Status callbacks can outrun the send that caused them: WhatsApp may call the webhook with 'sent'
-- before its answer to the send (with the message's wamid) has been recorded. Such a status waits
-- here until the send records the wamid, which then applies it. Both sides take a transaction-level
-- advisory lock on the wamid first, so one always sees the other's committed work.
CREATE TABLE ${schema}.whatsapp_early_statuses (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  wa_message_id    text NOT NULL,
  status           text NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
  status_at        timestamptz NOT NULL,
  error_code       integer,
  error_message    text,
  pricing          jsonb,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, wa_message_id, status)
);
ALTER TABLE ${schema}.whatsapp_early_statuses ENABLE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_early_statuses_tenant ON ${schema}.whatsapp_early_statuses
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT, DELETE ON ${schema}.whatsapp_early_statuses TO ${runtime_role};

-- Statuses kept for a send not yet recorded wait seconds in practice; those for wamids no send of
-- ours will record (another tool sending from the same number) are purged after a day, by the
-- tenant's own webhook transaction, along this index.
CREATE INDEX whatsapp_early_statuses_received_idx
  ON ${schema}.whatsapp_early_statuses (organization_id, received_at);
-- The purge skips rows another delivery holds (FOR UPDATE SKIP LOCKED) rather than wait for them
-- while holding wamid locks; row locks need an UPDATE grant, here on the one column nobody sets.
GRANT UPDATE (received_at) ON ${schema}.whatsapp_early_statuses TO ${runtime_role};
