-- Pipeline stages per organization. The seed inserted them once with INSERT ... SELECT FROM
-- organizations (missing every organization created later, and marking all six as default);
-- here provisioning creates them (CoreModule.provision, through default_sales_stages below) and
-- this migration gives organizations that already exist theirs, with exactly one default.
CREATE TABLE ${schema}.sales_stages (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  display_order    integer NOT NULL CHECK (display_order >= 0),
  color            text NOT NULL DEFAULT '#6B7280' CHECK (color ~ '^#[0-9A-Fa-f]{6}$'),
  probability      integer NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
  is_default       boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id)
);

CREATE UNIQUE INDEX sales_stages_name_key ON ${schema}.sales_stages (organization_id, lower(name));
-- Exactly one default per organization (at most one here; provisioning and the service keep one).
CREATE UNIQUE INDEX sales_stages_default_key ON ${schema}.sales_stages (organization_id) WHERE is_default;
CREATE INDEX sales_stages_order_idx ON ${schema}.sales_stages (organization_id, display_order, id);

CREATE TRIGGER sales_stages_touch_updated_at BEFORE UPDATE ON ${schema}.sales_stages
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();

ALTER TABLE ${schema}.sales_stages ENABLE ROW LEVEL SECURITY;
CREATE POLICY sales_stages_tenant ON ${schema}.sales_stages
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));

GRANT SELECT, INSERT, DELETE ON ${schema}.sales_stages TO ${runtime_role};
GRANT UPDATE (name, display_order, color, probability, is_default) ON ${schema}.sales_stages TO ${runtime_role};

-- The seed's six stages, colors and probabilities; Lead is the default.
CREATE FUNCTION ${schema}.default_sales_stages()
  RETURNS TABLE (name text, display_order integer, color text, probability integer, is_default boolean)
  LANGUAGE sql IMMUTABLE
  AS $$
    VALUES ('Lead', 1, '#6B7280', 10, true),
           ('Qualified', 2, '#3B82F6', 25, false),
           ('Proposal', 3, '#F59E0B', 50, false),
           ('Negotiation', 4, '#8B5CF6', 75, false),
           ('Won', 5, '#10B981', 100, false),
           ('Lost', 6, '#EF4444', 0, false)
  $$;

INSERT INTO ${schema}.sales_stages (organization_id, name, display_order, color, probability, is_default)
SELECT o.id, d.name, d.display_order, d.color, d.probability, d.is_default
  FROM ${schema}.organizations o CROSS JOIN ${schema}.default_sales_stages() d
 WHERE NOT EXISTS (SELECT 1 FROM ${schema}.sales_stages s WHERE s.organization_id = o.id);
