-- Only when both crm-ticketing and crm-whatsapp are there: a ticket's conversation is a WhatsApp
-- conversation of the same organization (a composite key, like every key between tenant tables),
-- and deleting the conversation unlinks the ticket without touching it.
ALTER TABLE ${schema}.tickets ADD CONSTRAINT tickets_conversation_fkey
  FOREIGN KEY (organization_id, conversation_id) REFERENCES ${schema}.conversations (organization_id, id)
  ON DELETE SET NULL (conversation_id);

-- An agent's reply in a ticket's WhatsApp conversation answers the ticket: it stops the
-- first-response clock of the conversation's unfinished tickets. The reply counts when it is
-- committed (as pending), not when
-- WhatsApp reports it sent. The stamp is never before the ticket was opened: tickets' times come
-- from the Crm's clock, messages' from the database's. The trigger runs as whoever inserts the
-- message (the runtime role), so row-level security confines it to the message's organization.
CREATE FUNCTION ${schema}.tickets_first_response_from_whatsapp() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  UPDATE tickets
     SET first_responded_at = greatest(NEW.created_at, created_at)
   WHERE organization_id = NEW.organization_id AND conversation_id = NEW.conversation_id
     AND first_responded_at IS NULL AND status NOT IN ('resolved', 'closed');
  RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION ${schema}.tickets_first_response_from_whatsapp() TO ${runtime_role};
CREATE TRIGGER messages_tickets_first_response AFTER INSERT ON ${schema}.messages
  FOR EACH ROW WHEN (NEW.direction = 'outbound' AND NEW.sent_by IS NOT NULL)
  EXECUTE FUNCTION ${schema}.tickets_first_response_from_whatsapp();
