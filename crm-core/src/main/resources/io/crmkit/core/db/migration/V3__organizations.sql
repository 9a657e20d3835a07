-- The tenant root. Its id is every tenant table's organization_id.
CREATE TABLE ${schema}.organizations (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
  -- Unique across tenants, so only the platform paths (privileged connection or the
  -- find_organization_by_slug function) touch it; the runtime role cannot update it.
  slug                 text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$'),
  domain               text,
  package_id           uuid NOT NULL REFERENCES ${schema}.packages (id) ON DELETE RESTRICT,
  subscription_status  text NOT NULL DEFAULT 'trialing'
                       CHECK (subscription_status IN ('trialing', 'active', 'past_due', 'canceled',
                                                      'incomplete', 'unpaid', 'paused')),
  trial_ends_at        timestamptz,
  -- Per-organization overrides of the package's limits: {"max_users": 500, "max_customers": null}.
  -- A key that is present wins over the package (null = unlimited); only known limits are allowed.
  custom_limits        jsonb NOT NULL DEFAULT '{}',
  default_language     text NOT NULL DEFAULT 'ar' CHECK (default_language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  -- ISO 3166-1 alpha-2; phone numbers without a country code are read in this region.
  default_region       text NOT NULL CHECK (default_region ~ '^[A-Z]{2}$'),
  -- IANA zone; daily and monthly limits count in it. Checked against pg_timezone_names in Java
  -- and here through a trigger (a CHECK may not look at a catalog).
  time_zone            text NOT NULL DEFAULT 'UTC',
  settings             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT organizations_custom_limits_known CHECK (
    jsonb_typeof(custom_limits) = 'object'
    AND NOT jsonb_path_exists(custom_limits, '$.keyvalue() ? (!(@.key like_regex "^(max_users|max_whatsapp_profiles|max_customers|max_messages_per_day|max_tickets_per_month|max_campaigns_per_month|storage_gb)$"))')
    AND NOT jsonb_path_exists(custom_limits, '$.* ? (@.type() != "null" && (@.type() != "number" || @ < 0 || @ != @.floor()))')
  )
);

CREATE INDEX organizations_package_idx ON ${schema}.organizations (package_id);

CREATE TRIGGER organizations_touch_updated_at BEFORE UPDATE ON ${schema}.organizations
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();

CREATE FUNCTION ${schema}.check_time_zone() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.time_zone) THEN
    RAISE EXCEPTION USING ERRCODE = '22023',
      MESSAGE = format('time_zone %L is not an IANA time zone name', NEW.time_zone);
  END IF;
  RETURN NEW;
END
$$;
GRANT EXECUTE ON FUNCTION ${schema}.check_time_zone() TO ${runtime_role};

CREATE TRIGGER organizations_check_time_zone BEFORE INSERT OR UPDATE OF time_zone ON ${schema}.organizations
  FOR EACH ROW EXECUTE FUNCTION ${schema}.check_time_zone();

ALTER TABLE ${schema}.organizations ENABLE ROW LEVEL SECURITY;

CREATE POLICY organizations_own_select ON ${schema}.organizations FOR SELECT
  USING (id = (SELECT ${schema}.current_organization_id()));
CREATE POLICY organizations_own_update ON ${schema}.organizations FOR UPDATE
  USING (id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (id = (SELECT ${schema}.current_organization_id()));

-- No INSERT or DELETE for the runtime role: provisioning is a platform operation.
-- Column grants keep slug, package and limits out of a tenant's reach.
GRANT SELECT ON ${schema}.organizations TO ${runtime_role};
GRANT UPDATE (name, domain, default_language, time_zone, settings) ON ${schema}.organizations TO ${runtime_role};

-- A tenant sees its own package and no other (the catalog's prices are the platform's business).
ALTER TABLE ${schema}.packages ENABLE ROW LEVEL SECURITY;
CREATE POLICY packages_own_select ON ${schema}.packages FOR SELECT
  USING (id = (SELECT o.package_id FROM ${schema}.organizations o
                WHERE o.id = (SELECT ${schema}.current_organization_id())));
GRANT SELECT ON ${schema}.packages TO ${runtime_role};
GRANT SELECT ON ${schema}.subscription_plans TO ${runtime_role};
