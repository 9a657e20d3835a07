-- The transactional outbox of WhatsApp events (message received, status changed, conversation
-- assigned, customer limit reached, contact changed, profile disconnected), written in the
-- transaction that caused them, for hosts that consume them from
-- another process: at least once, in order per conversation. seq numbers a conversation's events
-- under the conversation's row lock (conversations.event_seq), so within a conversation seq order
-- is commit order and there are no gaps. Progress is tracked per row (acked_at), never by a
-- watermark, which would skip rows whose transactions commit late.
CREATE TABLE ${schema}.whatsapp_events (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Empty for a profile's own events (profile_disconnected).
  conversation_id  uuid,
  seq              bigint NOT NULL CHECK (seq > 0),
  event_type       text NOT NULL,
  payload          jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  acked_at         timestamptz,
  attempts         integer NOT NULL DEFAULT 0,
  -- Every event names its profile; a conversation's events are ordered by the conversation's seq,
  -- a profile's own by the profile's (whatsapp_profiles.event_seq).
  profile_id       uuid NOT NULL,
  -- The sequence an event belongs to, its conversation or else its profile: the claim hands out
  -- runs per stream.
  stream_id        uuid GENERATED ALWAYS AS (coalesce(conversation_id, profile_id)) STORED,
  -- The drain that claimed it; an acknowledgement names it.
  claim_token      uuid,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, conversation_id) REFERENCES ${schema}.conversations (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, profile_id) REFERENCES ${schema}.whatsapp_profiles (organization_id, id)
    ON DELETE CASCADE,
  CONSTRAINT whatsapp_events_event_type_check
    CHECK (event_type IN ('message_received', 'message_status', 'conversation_assigned', 'customer_limit_reached',
                          'contact_changed', 'profile_disconnected')),
  CONSTRAINT whatsapp_events_profile_event_check CHECK ((conversation_id IS NULL) = (event_type = 'profile_disconnected'))
);
CREATE UNIQUE INDEX whatsapp_events_seq_key ON ${schema}.whatsapp_events (organization_id, conversation_id, seq);
CREATE INDEX whatsapp_events_pending_idx ON ${schema}.whatsapp_events (attempts, created_at, organization_id, id)
  WHERE acked_at IS NULL;
CREATE UNIQUE INDEX whatsapp_events_profile_seq_key ON ${schema}.whatsapp_events (organization_id, profile_id, seq)
  WHERE conversation_id IS NULL;
-- The claim's "no earlier unacknowledged event" check, per stream, reads only unacknowledged rows.
CREATE INDEX whatsapp_events_open_stream_idx ON ${schema}.whatsapp_events (organization_id, stream_id, seq)
  WHERE acked_at IS NULL;
ALTER TABLE ${schema}.whatsapp_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_events_tenant ON ${schema}.whatsapp_events
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.whatsapp_events TO ${runtime_role};

-- The drain's claim hands out runs: for each conversation (or profile) whose earliest unacknowledged event it
-- can lock (FOR UPDATE SKIP LOCKED), that event and the conversation's next unacknowledged ones, in
-- seq order, up to p_limit in all. A busy conversation no longer gives one event per drain. Order
-- still holds across drains: another drain cannot take the later events of a run, because each has
-- an earlier unacknowledged event (the run's first), and seq is assigned under the conversation's
-- row lock, so a run has no gaps that commit later. The caller stops a run at the first event its
-- handler fails; the rest stay unacknowledged, without an attempt counted.
-- Every event handed out is marked with the caller's claim token. Only the heads whose runs fit
-- the limit are locked, so a drain never holds conversations it does not hand out.
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
