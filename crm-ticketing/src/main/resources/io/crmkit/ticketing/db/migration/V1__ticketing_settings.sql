-- crm-ticketing (the seed's Module 3), under the foundation's rules: the tenant in every key,
-- composite foreign keys, row-level security with the one policy, column grants. First, each
-- organization's settings: its number format and its SLA targets.

-- Per organization; a missing row means the defaults. number_format: {YYYY} or {YY} for the year
-- in the organization's time zone (the counter then restarts each year), one {N…} for the number,
-- its N's the minimum width (never a cap).
CREATE TABLE ${schema}.ticketing_settings (
  organization_id  uuid PRIMARY KEY REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  number_format    text NOT NULL DEFAULT 'TICKET-{YYYY}-{NNNN}'
                   CHECK (number_format ~ '^[A-Za-z0-9_./#{}-]{1,40}$'
                          AND number_format ~ '\{N{1,9}\}'
                          AND number_format !~ '\{N+\}.*\{N+\}'),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE ${schema}.ticketing_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY ticketing_settings_tenant ON ${schema}.ticketing_settings
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
-- Column grants: a tenant row's organization_id is never the runtime role's to update.
GRANT SELECT, INSERT ON ${schema}.ticketing_settings TO ${runtime_role};
GRANT UPDATE (number_format, updated_at) ON ${schema}.ticketing_settings TO ${runtime_role};

-- SLA targets per priority, in minutes; a missing row means the defaults, a NULL no target.
CREATE TABLE ${schema}.ticket_sla_targets (
  organization_id          uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  priority                 text NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
  first_response_minutes   integer CHECK (first_response_minutes > 0),
  resolution_minutes       integer CHECK (resolution_minutes > 0),
  PRIMARY KEY (organization_id, priority)
);
ALTER TABLE ${schema}.ticket_sla_targets ENABLE ROW LEVEL SECURITY;
CREATE POLICY ticket_sla_targets_tenant ON ${schema}.ticket_sla_targets
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT, DELETE ON ${schema}.ticket_sla_targets TO ${runtime_role};
GRANT UPDATE (first_response_minutes, resolution_minutes) ON ${schema}.ticket_sla_targets TO ${runtime_role};

