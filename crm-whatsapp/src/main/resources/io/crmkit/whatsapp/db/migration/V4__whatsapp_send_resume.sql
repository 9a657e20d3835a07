-- Replies after a restart. A reply is committed 'pending' and handed to WhatsApp after the commit;
-- if the process stops in between, it stays pending, and if it stops while handing over, it stays
-- 'sending'. whatsapp_stalled_sends, across tenants and only outside any tenant, settles both once
-- they are older than p_older_than (at least two minutes, longer than a send can take): 'sending'
-- becomes 'unknown' (it may have gone out; it is never resent blindly, and a send that does return
-- later still records its outcome), and the 'pending' ones are returned to be sent; sending them
-- claims each 'pending' -> 'sending' in its own tenant transaction, so concurrent resumers send
-- each once.
CREATE FUNCTION ${schema}.whatsapp_stalled_sends(p_older_than interval, p_limit integer)
  RETURNS TABLE (organization_id uuid, message_id uuid, conversation_id uuid, payload jsonb)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  -- Longer than any send can take with the gateway's timeouts, whatever the caller asks.
  older_than interval := greatest(p_older_than, interval '2 minutes');
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'whatsapp_stalled_sends runs outside any tenant';
  END IF;
  UPDATE messages m
     SET status = 'unknown', status_at = clock_timestamp(),
         error_message = 'the process stopped while handing the message to WhatsApp'
   WHERE m.direction = 'outbound' AND m.status = 'sending' AND m.status_at < clock_timestamp() - older_than;
  RETURN QUERY
    SELECT m.organization_id, m.id, m.conversation_id, m.payload
      FROM messages m
     WHERE m.direction = 'outbound' AND m.status = 'pending' AND m.created_at < clock_timestamp() - older_than
     ORDER BY m.created_at, m.organization_id, m.id
     LIMIT least(greatest(p_limit, 1), 1000);
END
$$;
REVOKE ALL ON FUNCTION ${schema}.whatsapp_stalled_sends(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.whatsapp_stalled_sends(interval, integer) TO ${runtime_role};

CREATE INDEX messages_outbound_open_idx ON ${schema}.messages (created_at)
  WHERE direction = 'outbound' AND status IN ('pending', 'sending');
