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
