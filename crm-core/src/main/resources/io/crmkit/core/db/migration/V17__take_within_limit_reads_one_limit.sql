-- take_within_limit read all seven limits of the organization through get_organization_limits()
-- (plpgsql, the package row turned into jsonb) to use one of them. Measured in crm-ticketing's
-- numbering statement across 8 tenants, that read halved its throughput (0.55 of the statement
-- without it). It now reads only the limit it takes: the organization's custom value when it has
-- one (JSON null: unlimited), else the package's column (NULL: unlimited). The answers are the
-- same: the counter's new value, or NULL when the limit refuses, is unknown, the organization is
-- not visible to the caller, or the amount is not positive. In plpgsql, so the statement's plan
-- is prepared once per session rather than for every call as a SQL function's would be.
CREATE OR REPLACE FUNCTION ${schema}.take_within_limit(p_organization_id uuid, p_metric text, p_period date,
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
