-- Taking a unit of a usage counter within the organization's limit, as one SQL function, so a
-- module can take it in the same statement as the insert it counts (crm-ticketing numbers and
-- counts a ticket in one statement, holding its organization's two hot rows only from that
-- statement to the commit). Runs as the caller, under row-level security. Returns the counter's
-- new value, or NULL when the limit refuses it, has no value (a missing limit is never read as
-- unlimited) or the amount is not positive; UsageCounters then reads the limits to say which.
CREATE FUNCTION ${schema}.take_within_limit(p_organization_id uuid, p_metric text, p_period date, p_amount bigint,
    p_limit text)
  RETURNS bigint
  LANGUAGE sql VOLATILE
  SET search_path = ${schema}, pg_temp
  AS $$
    WITH l AS (SELECT unlimited, limit_value FROM get_organization_limits(p_organization_id) WHERE limit_name = p_limit)
    INSERT INTO usage_counters AS c (organization_id, metric, period_start, value)
    SELECT p_organization_id, p_metric, p_period, p_amount FROM l
     WHERE p_amount > 0 AND (l.unlimited IS TRUE OR p_amount <= l.limit_value)
    ON CONFLICT (organization_id, metric, period_start) DO UPDATE
       SET value = c.value + excluded.value
     WHERE (SELECT l.unlimited IS TRUE OR c.value + excluded.value <= l.limit_value FROM l)
       AND excluded.value > 0
    RETURNING value
  $$;
GRANT EXECUTE ON FUNCTION ${schema}.take_within_limit(uuid, text, date, bigint, text) TO ${runtime_role};
