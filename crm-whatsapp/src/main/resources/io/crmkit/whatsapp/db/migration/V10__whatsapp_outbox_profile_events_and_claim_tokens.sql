-- The outbox, two changes.
--
-- Profile events. A profile's own events (profile_disconnected: it lost its proof, its webhooks are
-- no longer routed to it) have no conversation. Every event now names its profile; a conversation's
-- events stay ordered by the conversation's seq, a profile's own events by the profile's
-- (whatsapp_profiles.event_seq, taken under the profile's row lock). stream_id is the sequence an
-- event belongs to, its conversation or else its profile: the claim hands out runs per stream.
--
-- Claim tokens. A drain claims under a token of its own, and ack_whatsapp_events acknowledges only
-- events claimed under the token it is given: a caller can never acknowledge events it did not
-- claim. The functions of V2 and V8 are dropped rather than changed in place, so a process still
-- running the older drain fails loudly.
ALTER TABLE ${schema}.whatsapp_profiles
  ADD COLUMN event_seq bigint NOT NULL DEFAULT 0 CHECK (event_seq >= 0);
GRANT UPDATE (event_seq) ON ${schema}.whatsapp_profiles TO ${runtime_role};

ALTER TABLE ${schema}.whatsapp_events ADD COLUMN profile_id uuid;
UPDATE ${schema}.whatsapp_events e SET profile_id = c.profile_id
  FROM ${schema}.conversations c WHERE c.organization_id = e.organization_id AND c.id = e.conversation_id;
ALTER TABLE ${schema}.whatsapp_events
  ALTER COLUMN profile_id SET NOT NULL,
  ALTER COLUMN conversation_id DROP NOT NULL,
  ADD FOREIGN KEY (organization_id, profile_id) REFERENCES ${schema}.whatsapp_profiles (organization_id, id)
    ON DELETE CASCADE,
  ADD COLUMN stream_id uuid GENERATED ALWAYS AS (coalesce(conversation_id, profile_id)) STORED,
  ADD COLUMN claim_token uuid;
CREATE UNIQUE INDEX whatsapp_events_profile_seq_key ON ${schema}.whatsapp_events (organization_id, profile_id, seq)
  WHERE conversation_id IS NULL;
-- The claim's "no earlier unacknowledged event" check, per stream.
DROP INDEX ${schema}.whatsapp_events_open_seq_idx;
CREATE INDEX whatsapp_events_open_stream_idx ON ${schema}.whatsapp_events (organization_id, stream_id, seq)
  WHERE acked_at IS NULL;

ALTER TABLE ${schema}.whatsapp_events DROP CONSTRAINT whatsapp_events_event_type_check;
ALTER TABLE ${schema}.whatsapp_events ADD CONSTRAINT whatsapp_events_event_type_check
  CHECK (event_type IN ('message_received', 'message_status', 'conversation_assigned', 'customer_limit_reached',
                        'contact_changed', 'profile_disconnected'));
ALTER TABLE ${schema}.whatsapp_events ADD CONSTRAINT whatsapp_events_profile_event_check
  CHECK ((conversation_id IS NULL) = (event_type = 'profile_disconnected'));

DROP FUNCTION ${schema}.claim_whatsapp_event_runs(integer);
DROP FUNCTION ${schema}.ack_whatsapp_events(uuid[], uuid[], boolean);

-- As V8's claim, per stream, and every event handed out is marked with the caller's claim token.
CREATE FUNCTION ${schema}.claim_whatsapp_event_runs(p_limit integer, p_claim uuid)
  RETURNS TABLE (organization_id uuid, id uuid, profile_id uuid, conversation_id uuid, seq bigint, event_type text,
                 payload jsonb, created_at timestamptz, attempts integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  wanted integer := least(greatest(p_limit, 1), 1000);
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'claim_whatsapp_event_runs runs outside any tenant';
  END IF;
  IF p_claim IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = 'claim_whatsapp_event_runs needs a claim token';
  END IF;
  RETURN QUERY
    WITH candidates AS MATERIALIZED (
      SELECT e.organization_id, e.id, e.stream_id, e.seq, e.attempts AS head_attempts, e.created_at AS head_at,
             (SELECT count(*) FROM whatsapp_events f
               WHERE f.organization_id = e.organization_id AND f.stream_id = e.stream_id
                 AND f.seq >= e.seq AND f.acked_at IS NULL) AS run
        FROM whatsapp_events e
       WHERE e.acked_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM whatsapp_events p
                          WHERE p.organization_id = e.organization_id AND p.stream_id = e.stream_id
                            AND p.seq < e.seq AND p.acked_at IS NULL)
       -- Runs that failed before go last, so a few failing streams cannot starve the rest.
       ORDER BY e.attempts, e.created_at, e.organization_id, e.id
       LIMIT wanted),
    fitting AS (
      SELECT c.*, sum(c.run) OVER (ORDER BY c.head_attempts, c.head_at, c.organization_id, c.id) - c.run AS before
        FROM candidates c),
    heads AS MATERIALIZED (
      SELECT e.organization_id, e.id, e.stream_id, e.seq, f.head_attempts, f.head_at
        FROM whatsapp_events e
        JOIN fitting f ON f.organization_id = e.organization_id AND f.id = e.id
       WHERE f.before < wanted AND e.acked_at IS NULL
         FOR UPDATE OF e SKIP LOCKED),
    runs AS MATERIALIZED (
      SELECT e.organization_id, e.id, h.head_attempts, h.head_at, h.organization_id AS head_org, h.id AS head_id
        FROM heads h
        JOIN whatsapp_events e ON e.organization_id = h.organization_id AND e.stream_id = h.stream_id
                              AND e.seq >= h.seq AND e.acked_at IS NULL
       ORDER BY h.head_attempts, h.head_at, h.organization_id, h.id, e.seq
       LIMIT wanted
         FOR UPDATE OF e),
    marked AS (
      UPDATE whatsapp_events w SET claim_token = p_claim
        FROM runs r
       WHERE w.organization_id = r.organization_id AND w.id = r.id
      RETURNING w.organization_id, w.id, w.profile_id, w.conversation_id, w.seq, w.event_type, w.payload,
                w.created_at, w.attempts, r.head_attempts, r.head_at, r.head_org, r.head_id)
    SELECT m.organization_id, m.id, m.profile_id, m.conversation_id, m.seq, m.event_type, m.payload, m.created_at,
           m.attempts
      FROM marked m
     ORDER BY m.head_attempts, m.head_at, m.head_org, m.head_id, m.seq;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.claim_whatsapp_event_runs(integer, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.claim_whatsapp_event_runs(integer, uuid) TO ${runtime_role};

-- Acknowledges events claimed under p_claim and handled; counts an attempt for those it could not
-- handle. Only from a transaction without a tenant (the drain's), and only events still carrying
-- that claim token; the token is cleared with the acknowledgement. Changes nothing else and
-- reveals nothing.
CREATE FUNCTION ${schema}.ack_whatsapp_events(p_claim uuid, p_organization_ids uuid[], p_ids uuid[],
    p_handled boolean)
  RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
    WITH changed AS (
      UPDATE whatsapp_events e
         SET acked_at = CASE WHEN p_handled THEN clock_timestamp() END, attempts = e.attempts + 1,
             claim_token = NULL
        FROM unnest(p_organization_ids, p_ids) AS k(organization_id, id)
       WHERE e.organization_id = k.organization_id AND e.id = k.id AND e.acked_at IS NULL
         AND e.claim_token = p_claim AND current_organization_id() IS NULL
      RETURNING 1)
    SELECT count(*)::integer FROM changed
  $$;
REVOKE ALL ON FUNCTION ${schema}.ack_whatsapp_events(uuid, uuid[], uuid[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.ack_whatsapp_events(uuid, uuid[], uuid[], boolean) TO ${runtime_role};
