-- Core provisions an organization 'trialing' on its plan for 14 days. With billing, a trial that
-- ends before any subscription began moves the organization to the fallback plan (BillingJobs.endTrials):
-- organizations whose core trial ended, that never had a subscription and are not on the fallback
-- plan. Called outside any tenant; reveals organization ids only.
CREATE FUNCTION ${schema}.billing_trials_ended(p_now timestamptz, p_fallback text, p_max integer)
  RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION 'billing_trials_ended runs outside any tenant' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
  SELECT o.id FROM organizations o
    JOIN packages p ON p.id = o.package_id
   WHERE o.subscription_status = 'trialing' AND o.trial_ends_at <= p_now AND p.slug <> p_fallback
     AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.organization_id = o.id)
   ORDER BY o.trial_ends_at, o.id
   LIMIT least(greatest(p_max, 1), 1000);
END
$$;
REVOKE ALL ON FUNCTION ${schema}.billing_trials_ended(timestamptz, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.billing_trials_ended(timestamptz, text, integer) TO ${runtime_role};
