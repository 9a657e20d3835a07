-- The transactional outbox of WhatsApp events (message received, status changed, conversation
-- assigned), written in the transaction that caused them, for hosts that consume them from
-- another process: at least once, in order per conversation. seq numbers a conversation's events
-- under the conversation's row lock (conversations.event_seq), so within a conversation seq order
-- is commit order and there are no gaps. Progress is tracked per row (acked_at), never by a
-- watermark, which would skip rows whose transactions commit late.
CREATE TABLE ${schema}.whatsapp_events (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id  uuid NOT NULL,
  seq              bigint NOT NULL CHECK (seq > 0),
  event_type       text NOT NULL CHECK (event_type IN ('message_received', 'message_status', 'conversation_assigned',
                                                     'customer_limit_reached')),
  payload          jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  acked_at         timestamptz,
  attempts         integer NOT NULL DEFAULT 0,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, conversation_id) REFERENCES ${schema}.conversations (organization_id, id)
    ON DELETE CASCADE
);
CREATE UNIQUE INDEX whatsapp_events_seq_key ON ${schema}.whatsapp_events (organization_id, conversation_id, seq);
CREATE INDEX whatsapp_events_pending_idx ON ${schema}.whatsapp_events (attempts, created_at, organization_id, id)
  WHERE acked_at IS NULL;
-- The claim's "no earlier unacknowledged event" check reads only unacknowledged rows.
CREATE INDEX whatsapp_events_open_seq_idx ON ${schema}.whatsapp_events (organization_id, conversation_id, seq)
  WHERE acked_at IS NULL;
ALTER TABLE ${schema}.whatsapp_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_events_tenant ON ${schema}.whatsapp_events
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.whatsapp_events TO ${runtime_role};

-- The drain's claim, across tenants: up to p_limit unacknowledged events, oldest first, each only
-- if no earlier event of its conversation is unacknowledged (so a conversation's events are
-- handled one after another, in order), locked FOR UPDATE SKIP LOCKED for the caller's
-- transaction: concurrent drains share the work, and an event stays claimed until that
-- transaction acknowledges it (ack_whatsapp_events) and commits, or rolls back.
CREATE FUNCTION ${schema}.claim_whatsapp_events(p_limit integer)
  RETURNS TABLE (organization_id uuid, id uuid, conversation_id uuid, seq bigint, event_type text, payload jsonb,
                 created_at timestamptz, attempts integer)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
    SELECT e.organization_id, e.id, e.conversation_id, e.seq, e.event_type, e.payload, e.created_at, e.attempts
      FROM whatsapp_events e
     WHERE e.acked_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM whatsapp_events p
                        WHERE p.organization_id = e.organization_id AND p.conversation_id = e.conversation_id
                          AND p.seq < e.seq AND p.acked_at IS NULL)
     -- Events that failed before go last, so a few failing conversations cannot starve the rest.
     ORDER BY e.attempts, e.created_at, e.organization_id, e.id
     LIMIT least(greatest(p_limit, 1), 1000)
     FOR UPDATE OF e SKIP LOCKED
  $$;
REVOKE ALL ON FUNCTION ${schema}.claim_whatsapp_events(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.claim_whatsapp_events(integer) TO ${runtime_role};

-- Acknowledges events the caller's transaction claimed and handled; counts an attempt for those it
-- could not handle. Only from a transaction without a tenant (the drain's); changes nothing else
-- and reveals nothing.
CREATE FUNCTION ${schema}.ack_whatsapp_events(p_organization_ids uuid[], p_ids uuid[], p_handled boolean)
  RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
    WITH changed AS (
      UPDATE whatsapp_events e
         SET acked_at = CASE WHEN p_handled THEN clock_timestamp() END, attempts = e.attempts + 1
        FROM unnest(p_organization_ids, p_ids) AS k(organization_id, id)
       WHERE e.organization_id = k.organization_id AND e.id = k.id AND e.acked_at IS NULL
         AND current_organization_id() IS NULL
      RETURNING 1)
    SELECT count(*)::integer FROM changed
  $$;
REVOKE ALL ON FUNCTION ${schema}.ack_whatsapp_events(uuid[], uuid[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.ack_whatsapp_events(uuid[], uuid[], boolean) TO ${runtime_role};
