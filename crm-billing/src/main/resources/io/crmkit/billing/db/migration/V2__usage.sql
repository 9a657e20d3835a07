-- Usage per billing period (the seed's usage_records), recorded from crm-core's counters by
-- BillingJobs.recordUsage, and the meter events reported to Stripe from it. Changed from the seed:
-- the tenant in every key; one row per organization, metric and period, updated in place; the
-- quantity is bigint; metrics are named as core's counters name them.

-- What the organization used in one billing period: its running subscription's current period, or
-- the calendar month in its time zone when none runs. Counted metrics (messages, tickets,
-- campaigns) add what core's counters grew by since the last recording; levels (customers, users,
-- WhatsApp profiles, bytes stored) keep the highest value seen in the period.
CREATE TABLE ${schema}.usage_records (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  metric           text NOT NULL CHECK (metric IN ('messages_sent', 'tickets_opened', 'campaigns_started',
                                                   'customers', 'users', 'whatsapp_profiles', 'storage_bytes')),
  period_start     timestamptz NOT NULL,
  period_end       timestamptz NOT NULL CHECK (period_end > period_start),
  quantity         bigint NOT NULL DEFAULT 0 CHECK (quantity >= 0),
  -- The highest quantity reported to Stripe's meter so far (metered metrics): only growth above it
  -- is reported, so a unit given back and taken again is reported once.
  metered          bigint NOT NULL DEFAULT 0 CHECK (metered >= 0),
  -- When the quantity (or the period's end) last changed.
  recorded_at      timestamptz NOT NULL,
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, metric, period_start)
);
CREATE INDEX usage_records_period_idx ON ${schema}.usage_records (organization_id, period_start DESC);
ALTER TABLE ${schema}.usage_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY usage_records_tenant ON ${schema}.usage_records
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.usage_records TO ${runtime_role};
GRANT UPDATE (period_end, quantity, metered, recorded_at) ON ${schema}.usage_records TO ${runtime_role};

-- How far each of core's counters has been recorded, so each unit is added to one period once.
CREATE TABLE ${schema}.usage_marks (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  metric           text NOT NULL CHECK (metric ~ '^[a-z][a-z0-9_]{0,49}$'),
  counter_period   date NOT NULL,
  seen             bigint NOT NULL,
  PRIMARY KEY (organization_id, metric, counter_period)
);
ALTER TABLE ${schema}.usage_marks ENABLE ROW LEVEL SECURITY;
CREATE POLICY usage_marks_tenant ON ${schema}.usage_marks
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT, DELETE ON ${schema}.usage_marks TO ${runtime_role};
GRANT UPDATE (seen) ON ${schema}.usage_marks TO ${runtime_role};

-- When the organization's usage was last recorded; its row is the lock two recording jobs take.
CREATE TABLE ${schema}.usage_runs (
  organization_id  uuid PRIMARY KEY REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  recorded_at      timestamptz NOT NULL
);
CREATE INDEX usage_runs_recorded_idx ON ${schema}.usage_runs (recorded_at);
ALTER TABLE ${schema}.usage_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY usage_runs_tenant ON ${schema}.usage_runs
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.usage_runs TO ${runtime_role};
GRANT UPDATE (recorded_at) ON ${schema}.usage_runs TO ${runtime_role};

-- Usage of metered metrics to report to Stripe's billing meters: queued in the transaction that
-- records it, then sent by BillingJobs.reportUsage with the row's identifier (the meter event's
-- identifier and the request's idempotency key), retried until Stripe accepts it or its 35-day
-- window ends, never sent again once it may have arrived and Stripe's 24-hour deduplication could
-- have forgotten it.
CREATE TABLE ${schema}.meter_events (
  organization_id     uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  metric              text NOT NULL CHECK (metric IN ('messages_sent', 'tickets_opened', 'campaigns_started')),
  event_name          text NOT NULL CHECK (length(event_name) BETWEEN 1 AND 100),
  stripe_customer_id  text NOT NULL CHECK (stripe_customer_id ~ '^cus_[A-Za-z0-9]{1,250}$'),
  value               bigint NOT NULL CHECK (value > 0),
  -- The event's timestamp: when the usage was recorded. Stripe takes it up to 35 days back.
  occurred_at         timestamptz NOT NULL,
  status              text NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'accepted', 'expired', 'unknown')),
  attempts            integer NOT NULL DEFAULT 0,
  -- The first attempt that may have reached Stripe (not a refusal, not a connection never made);
  -- its identifier is deduplicated for 24 hours from then.
  maybe_sent_at       timestamptz,
  -- When the attempt under way was claimed; still set at the next claim, that attempt never
  -- settled (a crash) and may have arrived.
  in_flight_since     timestamptz,
  next_attempt_at     timestamptz NOT NULL,
  last_error          text CHECK (length(last_error) <= 1000),
  accepted_at         timestamptz,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, stripe_customer_id)
    REFERENCES ${schema}.billing_customers (organization_id, stripe_customer_id)
);
CREATE INDEX meter_events_due_idx ON ${schema}.meter_events (next_attempt_at) WHERE status = 'pending';
ALTER TABLE ${schema}.meter_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY meter_events_tenant ON ${schema}.meter_events
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.meter_events TO ${runtime_role};
GRANT UPDATE (status, attempts, maybe_sent_at, in_flight_since, next_attempt_at, last_error, accepted_at)
  ON ${schema}.meter_events TO ${runtime_role};

-- Billing's usage job across tenants: organizations whose usage was not recorded since p_before,
-- never recorded first, then the longest ago. Called outside any tenant; reveals ids only.
CREATE FUNCTION ${schema}.billing_usage_due(p_before timestamptz, p_max integer)
  RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION 'billing_usage_due runs outside any tenant' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
  SELECT o.id FROM organizations o LEFT JOIN usage_runs r ON r.organization_id = o.id
   WHERE r.recorded_at IS NULL OR r.recorded_at < p_before
   ORDER BY r.recorded_at NULLS FIRST, o.id
   LIMIT least(greatest(p_max, 1), 1000);
END
$$;
REVOKE ALL ON FUNCTION ${schema}.billing_usage_due(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.billing_usage_due(timestamptz, integer) TO ${runtime_role};

-- The meter events due for an attempt by p_now, oldest first. Called outside any tenant; reveals
-- the organization and event ids only.
CREATE FUNCTION ${schema}.billing_meter_events_due(p_now timestamptz, p_max integer)
  RETURNS TABLE (organization_id uuid, id uuid)
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION 'billing_meter_events_due runs outside any tenant' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
  SELECT e.organization_id, e.id FROM meter_events e
   WHERE e.status = 'pending' AND e.next_attempt_at <= p_now
   ORDER BY e.next_attempt_at, e.id
   LIMIT least(greatest(p_max, 1), 1000);
END
$$;
REVOKE ALL ON FUNCTION ${schema}.billing_meter_events_due(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.billing_meter_events_due(timestamptz, integer) TO ${runtime_role};
