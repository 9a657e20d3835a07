-- The runtime role updates a ticketing row's own columns, never its organization_id: the policies
-- refuse a move to another tenant, and now no grant allows the attempt either. V1 granted UPDATE on
-- whole tables; it becomes column grants on what the module updates.
REVOKE UPDATE ON ${schema}.ticketing_settings, ${schema}.ticket_sla_targets, ${schema}.ticket_counters
  FROM ${runtime_role};
GRANT UPDATE (number_format, updated_at) ON ${schema}.ticketing_settings TO ${runtime_role};
GRANT UPDATE (first_response_minutes, resolution_minutes) ON ${schema}.ticket_sla_targets TO ${runtime_role};
GRANT UPDATE (last_number) ON ${schema}.ticket_counters TO ${runtime_role};
