-- Ticket numbers. Fixed from the seed: ticket_number was unique across all tenants (the second
-- tenant's first ticket collided with the first tenant's) and its trigger took MAX()+1 (two
-- concurrent inserts got the same number; lpad('10000', 4, '0') is '1000'). Numbers now come from
-- a counter row per organization and period, taken by the statement that inserts the ticket (see
-- TicketMapper.xml), so they are unique per organization, consecutive and without gaps (a
-- rolled-back ticket gives its number back), and the row is held only from that statement to the
-- commit.
-- The numbering counters: one row per organization and period (the year, or '-' for a format
-- without one). Creating transactions serialize on their organization's row only.
CREATE TABLE ${schema}.ticket_counters (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  period           text NOT NULL CHECK (period ~ '^([0-9]{4}|-)$'),
  last_number      bigint NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (organization_id, period)
);
ALTER TABLE ${schema}.ticket_counters ENABLE ROW LEVEL SECURITY;
CREATE POLICY ticket_counters_tenant ON ${schema}.ticket_counters
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.ticket_counters TO ${runtime_role};
GRANT UPDATE (last_number) ON ${schema}.ticket_counters TO ${runtime_role};

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
