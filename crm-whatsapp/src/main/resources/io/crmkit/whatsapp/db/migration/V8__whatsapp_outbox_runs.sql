-- The drain's claim hands out runs: for each conversation whose earliest unacknowledged event it
-- can lock (FOR UPDATE SKIP LOCKED), that event and the conversation's next unacknowledged ones, in
-- seq order, up to p_limit in all. A busy conversation no longer gives one event per drain. Order
-- still holds across drains: another drain cannot take the later events of a run, because each has
-- an earlier unacknowledged event (the run's first), and seq is assigned under the conversation's
-- row lock, so a run has no gaps that commit later. The caller stops a run at the first event its
-- handler fails; the rest stay unacknowledged, without an attempt counted.
--
-- Only the heads whose runs fit the limit are locked, so a drain never holds conversations it does
-- not hand out. The head-only claim of V2 is dropped rather than changed in place: a process still
-- running the older drain (which does not stop a run at a failure) fails loudly instead of
-- acknowledging a conversation's events out of order.
DROP FUNCTION ${schema}.claim_whatsapp_events(integer);

CREATE FUNCTION ${schema}.claim_whatsapp_event_runs(p_limit integer)
  RETURNS TABLE (organization_id uuid, id uuid, conversation_id uuid, seq bigint, event_type text, payload jsonb,
                 created_at timestamptz, attempts integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  wanted integer := least(greatest(p_limit, 1), 1000);
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'claim_whatsapp_event_runs runs outside any tenant';
  END IF;
  RETURN QUERY
    WITH candidates AS MATERIALIZED (
      SELECT e.organization_id, e.id, e.conversation_id, e.seq, e.attempts AS head_attempts,
             e.created_at AS head_at,
             (SELECT count(*) FROM whatsapp_events f
               WHERE f.organization_id = e.organization_id AND f.conversation_id = e.conversation_id
                 AND f.seq >= e.seq AND f.acked_at IS NULL) AS run
        FROM whatsapp_events e
       WHERE e.acked_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM whatsapp_events p
                          WHERE p.organization_id = e.organization_id AND p.conversation_id = e.conversation_id
                            AND p.seq < e.seq AND p.acked_at IS NULL)
       -- Runs that failed before go last, so a few failing conversations cannot starve the rest.
       ORDER BY e.attempts, e.created_at, e.organization_id, e.id
       LIMIT wanted),
    fitting AS (
      SELECT c.*, sum(c.run) OVER (ORDER BY c.head_attempts, c.head_at, c.organization_id, c.id) - c.run AS before
        FROM candidates c),
    heads AS MATERIALIZED (
      SELECT e.organization_id, e.id, e.conversation_id, e.seq, f.head_attempts, f.head_at
        FROM whatsapp_events e
        JOIN fitting f ON f.organization_id = e.organization_id AND f.id = e.id
       WHERE f.before < wanted AND e.acked_at IS NULL
         FOR UPDATE OF e SKIP LOCKED)
    SELECT e.organization_id, e.id, e.conversation_id, e.seq, e.event_type, e.payload, e.created_at, e.attempts
      FROM heads h
      JOIN whatsapp_events e ON e.organization_id = h.organization_id AND e.conversation_id = h.conversation_id
                            AND e.seq >= h.seq AND e.acked_at IS NULL
     ORDER BY h.head_attempts, h.head_at, h.organization_id, h.id, e.seq
     LIMIT wanted
     FOR UPDATE OF e;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.claim_whatsapp_event_runs(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.claim_whatsapp_event_runs(integer) TO ${runtime_role};
