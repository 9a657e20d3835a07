-- Replies after a restart. A reply is committed 'pending' and handed to WhatsApp after the commit;
-- if the process stops in between, it stays pending, and if it stops while handing over, it stays
-- 'sending'. whatsapp_stalled_sends, across tenants, settles both once they are older than
-- p_older_than: 'sending' becomes 'unknown' (it may have been sent; status callbacks settle it,
-- it is never resent blindly), and the 'pending' ones are returned to be sent; sending them
-- claims each 'pending' → 'sending' in its own tenant transaction, so concurrent resumers send
-- each once.
CREATE FUNCTION ${schema}.whatsapp_stalled_sends(p_older_than interval, p_limit integer)
  RETURNS TABLE (organization_id uuid, message_id uuid, conversation_id uuid, payload jsonb)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  UPDATE messages m
     SET status = 'unknown', status_at = clock_timestamp(),
         error_message = 'the process stopped while handing the message to WhatsApp'
   WHERE m.direction = 'outbound' AND m.status = 'sending' AND m.status_at < clock_timestamp() - p_older_than;
  RETURN QUERY
    SELECT m.organization_id, m.id, m.conversation_id, m.payload
      FROM messages m
     WHERE m.direction = 'outbound' AND m.status = 'pending' AND m.created_at < clock_timestamp() - p_older_than
     ORDER BY m.created_at, m.organization_id, m.id
     LIMIT least(greatest(p_limit, 1), 1000);
END
$$;
REVOKE ALL ON FUNCTION ${schema}.whatsapp_stalled_sends(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.whatsapp_stalled_sends(interval, integer) TO ${runtime_role};

CREATE INDEX messages_outbound_open_idx ON ${schema}.messages (created_at)
  WHERE direction = 'outbound' AND status IN ('pending', 'sending');
