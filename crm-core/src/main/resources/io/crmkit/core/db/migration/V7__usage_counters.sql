-- Usage that grows large (customers, messages per day, tickets per month) is counted here, one
-- row per organization, metric and period, instead of count(*) over big tables. A period is the
-- day, or the first day of the month, in the organization's time zone; 1970-01-01 for running totals.
-- Increments are a single INSERT ... ON CONFLICT DO UPDATE ... WHERE value + n <= limit, so two
-- concurrent increments serialize on the row and the limit holds.
CREATE TABLE ${schema}.usage_counters (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  metric           text NOT NULL CHECK (metric ~ '^[a-z][a-z0-9_]{0,49}$'),
  period_start     date NOT NULL,
  value            bigint NOT NULL DEFAULT 0 CHECK (value >= 0),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, metric, period_start)
);

CREATE TRIGGER usage_counters_touch_updated_at BEFORE UPDATE ON ${schema}.usage_counters
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();

ALTER TABLE ${schema}.usage_counters ENABLE ROW LEVEL SECURITY;
CREATE POLICY usage_counters_tenant ON ${schema}.usage_counters
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));

GRANT SELECT, INSERT ON ${schema}.usage_counters TO ${runtime_role};
GRANT UPDATE (value) ON ${schema}.usage_counters TO ${runtime_role};
