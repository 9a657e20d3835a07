-- Runs as ${owner_role} (the migration connection does SET ROLE), so everything created here
-- is owned by it. The runtime role ${runtime_role} gets only what is granted below and per table.

GRANT USAGE ON SCHEMA ${schema} TO ${runtime_role};

-- Functions are executable by PUBLIC unless revoked; SECURITY DEFINER functions must not be.
-- A per-schema default can only add to the global defaults, not take PUBLIC's EXECUTE away, so
-- this is the owner role's global default. Each function the runtime role may call is granted
-- explicitly.
ALTER DEFAULT PRIVILEGES FOR ROLE ${owner_role} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- The tenant of the current transaction. The setting is transaction-local (set_config(..., true));
-- once a transaction ends it reads back as '' rather than NULL, and ''::uuid would fail every
-- later query on the pooled connection, so '' means "no tenant" here.
CREATE FUNCTION ${schema}.current_organization_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.current_organization_id', true), '')::uuid $$;
GRANT EXECUTE ON FUNCTION ${schema}.current_organization_id() TO ${runtime_role};

-- Sets updated_at. Attached with WHEN (OLD IS DISTINCT FROM NEW), so it fires only when a row
-- really changed: an UPDATE that writes the same values keeps the old timestamp.
CREATE FUNCTION ${schema}.touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
GRANT EXECUTE ON FUNCTION ${schema}.touch_updated_at() TO ${runtime_role};
