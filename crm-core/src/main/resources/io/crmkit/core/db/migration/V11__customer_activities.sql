-- A customer's timeline. Types are open (message, call, note, stage_change, meeting, email, and
-- what other modules add) but shaped like identifiers. performed_by is the member who acted, or
-- NULL with performed_by_system naming a system actor. created_at is the statement's clock, so
-- activities of one transaction keep their order; (created_at, id) is the keyset.
CREATE TABLE ${schema}.customer_activities (
  organization_id      uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id          uuid NOT NULL,
  activity_type        text NOT NULL CHECK (activity_type ~ '^[a-z][a-z0-9_]{0,49}$'),
  description          text,
  performed_by         uuid,
  performed_by_system  text CHECK (length(performed_by_system) <= 50),
  metadata             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  created_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, customer_id) REFERENCES ${schema}.customers (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, performed_by) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (performed_by)
);

CREATE INDEX customer_activities_timeline_idx
  ON ${schema}.customer_activities (organization_id, customer_id, created_at DESC, id DESC);
CREATE INDEX customer_activities_recent_idx
  ON ${schema}.customer_activities (organization_id, created_at DESC, id DESC);

ALTER TABLE ${schema}.customer_activities ENABLE ROW LEVEL SECURITY;
CREATE POLICY customer_activities_tenant ON ${schema}.customer_activities
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));

-- Activities are history: written and read, never edited; they go with their customer, and move
-- to the survivor when duplicates are merged.
GRANT SELECT, INSERT ON ${schema}.customer_activities TO ${runtime_role};
GRANT UPDATE (customer_id) ON ${schema}.customer_activities TO ${runtime_role};
