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

-- The seed's get_organization_limits / organization_has_feature. SECURITY INVOKER: they read
-- through the caller's row-level security, so for the runtime role another tenant's id is simply
-- "not found". A missing organization, package or limit is an error, never "unlimited".
CREATE FUNCTION ${schema}.get_organization_limits(p_organization_id uuid)
  RETURNS TABLE (limit_name text, limit_value bigint, unlimited boolean, from_custom boolean, package_slug text)
  LANGUAGE plpgsql STABLE
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  org organizations%ROWTYPE;
  pkg jsonb;
BEGIN
  SELECT * INTO org FROM organizations WHERE id = p_organization_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('organization %s not found', p_organization_id);
  END IF;
  SELECT to_jsonb(p) INTO pkg FROM packages p WHERE p.id = org.package_id;
  IF pkg IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'P0002',
      MESSAGE = format('package %s of organization %s not found', org.package_id, p_organization_id);
  END IF;
  RETURN QUERY
    SELECT l.name,
           CASE WHEN org.custom_limits ? l.name THEN (org.custom_limits ->> l.name)::bigint
                ELSE (pkg ->> l.name)::bigint END,
           CASE WHEN org.custom_limits ? l.name THEN org.custom_limits -> l.name = 'null'::jsonb
                ELSE pkg -> l.name = 'null'::jsonb END,
           org.custom_limits ? l.name,
           pkg ->> 'slug'
      FROM unnest(ARRAY['max_users', 'max_whatsapp_profiles', 'max_customers', 'max_messages_per_day',
                        'max_tickets_per_month', 'max_campaigns_per_month', 'storage_gb']) AS l(name);
END
$$;

-- One limit by name; an unknown name is an error (22023), so a typo never reads as unlimited.
-- Returns NULL for unlimited.
CREATE FUNCTION ${schema}.organization_limit(p_organization_id uuid, p_limit text)
  RETURNS bigint
  LANGUAGE plpgsql STABLE
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  result bigint;
BEGIN
  SELECT l.limit_value INTO result FROM get_organization_limits(p_organization_id) l WHERE l.limit_name = p_limit;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown limit %L', p_limit);
  END IF;
  RETURN result;
END
$$;

-- True only when the organization's package says the feature is on; a feature it does not
-- mention is off.
CREATE FUNCTION ${schema}.organization_has_feature(p_organization_id uuid, p_feature text)
  RETURNS boolean
  LANGUAGE plpgsql STABLE
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  features jsonb;
BEGIN
  SELECT p.features INTO features
    FROM organizations o JOIN packages p ON p.id = o.package_id
   WHERE o.id = p_organization_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('organization %s not found', p_organization_id);
  END IF;
  RETURN coalesce(features -> p_feature = 'true'::jsonb, false);
END
$$;

GRANT EXECUTE ON FUNCTION ${schema}.get_organization_limits(uuid) TO ${runtime_role};
GRANT EXECUTE ON FUNCTION ${schema}.organization_limit(uuid, text) TO ${runtime_role};
GRANT EXECUTE ON FUNCTION ${schema}.organization_has_feature(uuid, text) TO ${runtime_role};

-- Taking a unit of a usage counter within the organization's limit, as one SQL function, so a
-- module can take it in the same statement as the insert it counts (crm-ticketing numbers and
-- counts a ticket in one statement, holding its organization's two hot rows only from that
-- statement to the commit). Runs as the caller, under row-level security. Returns the counter's
-- new value, or NULL when the limit refuses it, is unknown (never read as unlimited), the
-- organization is not visible to the caller, or the amount is not positive; UsageCounters then
-- reads the limits to say which. It reads only the limit it takes (the organization's custom value
-- when it has one, JSON null meaning unlimited, else the package's column, NULL meaning
-- unlimited): reading all seven through get_organization_limits() halved the throughput of
-- crm-ticketing's numbering statement. In plpgsql, so the statement's plan is prepared once per
-- session rather than for every call as a SQL function's would be.
CREATE FUNCTION ${schema}.take_within_limit(p_organization_id uuid, p_metric text, p_period date,
    p_amount bigint, p_limit text)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  taken bigint;
BEGIN
    WITH l AS (
      SELECT CASE WHEN o.custom_limits ? p_limit THEN o.custom_limits -> p_limit = 'null'::jsonb
                  ELSE x.known AND x.value IS NULL END AS unlimited,
             CASE WHEN o.custom_limits ? p_limit THEN (o.custom_limits ->> p_limit)::bigint
                  ELSE x.value END AS limit_value
        FROM organizations o
        JOIN packages pk ON pk.id = o.package_id
        CROSS JOIN LATERAL (
          SELECT p_limit IN ('max_users', 'max_whatsapp_profiles', 'max_customers', 'max_messages_per_day',
                             'max_tickets_per_month', 'max_campaigns_per_month', 'storage_gb') AS known,
                 (CASE p_limit
                    WHEN 'max_users' THEN pk.max_users
                    WHEN 'max_whatsapp_profiles' THEN pk.max_whatsapp_profiles
                    WHEN 'max_customers' THEN pk.max_customers
                    WHEN 'max_messages_per_day' THEN pk.max_messages_per_day
                    WHEN 'max_tickets_per_month' THEN pk.max_tickets_per_month
                    WHEN 'max_campaigns_per_month' THEN pk.max_campaigns_per_month
                    WHEN 'storage_gb' THEN pk.storage_gb
                  END)::bigint AS value) x
       WHERE o.id = p_organization_id)
    INSERT INTO usage_counters AS c (organization_id, metric, period_start, value)
    SELECT p_organization_id, p_metric, p_period, p_amount FROM l
     WHERE p_amount > 0 AND (l.unlimited IS TRUE OR p_amount <= l.limit_value)
    ON CONFLICT (organization_id, metric, period_start) DO UPDATE
       SET value = c.value + excluded.value
     WHERE (SELECT l.unlimited IS TRUE OR c.value + excluded.value <= l.limit_value FROM l)
       AND excluded.value > 0
    RETURNING c.value INTO taken;
  RETURN taken;
END
$$;
GRANT EXECUTE ON FUNCTION ${schema}.take_within_limit(uuid, text, date, bigint, text) TO ${runtime_role};
