-- TicketService.open sends the statement that numbers and inserts a ticket together with its
-- COMMIT (TenantTransaction.queryAndCommit), so the organization's counter row is held only while
-- that statement runs and commits. When the statement inserts no ticket (the month's
-- max_tickets_per_month refused it, or the period has no counter row yet), what the transaction
-- wrote before it, such as the customer's activity, must not commit: this raises, the server then
-- skips the COMMIT, and TicketService opens the ticket again the long way, which tells which it was.
CREATE FUNCTION ${schema}.require_ticket_numbered(numbered boolean) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  IF numbered IS NOT TRUE THEN
    RAISE EXCEPTION 'no ticket was numbered; nothing of this transaction commits' USING ERRCODE = 'CKT01';
  END IF;
  RETURN true;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.require_ticket_numbered(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.require_ticket_numbered(boolean) TO ${runtime_role};
