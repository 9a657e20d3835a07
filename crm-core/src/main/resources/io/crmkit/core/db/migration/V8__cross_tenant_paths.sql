-- The only paths that cross tenants, each a SECURITY DEFINER function owned by ${owner_role}
-- (which row-level security does not apply to, as the owner) with a fixed search_path.
-- Each takes no tenant id a caller could forge and returns the least it can.
-- Listed in ARCHITECTURE.md; each has an attack test.

-- Routing by slug (acme.example.com -> acme): the organization's id and name, nothing more.
CREATE FUNCTION ${schema}.find_organization_by_slug(p_slug text)
  RETURNS TABLE (id uuid, name text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$ SELECT o.id, o.name FROM organizations o WHERE o.slug = lower(p_slug) $$;

-- Accepting an invitation: the bearer of a token learns which organization and invitation it
-- belongs to. The hash is computed by the caller from the raw token; an unknown hash finds nothing.
-- Everything else (expiry, single use, seats) is checked inside the tenant's own transaction.
CREATE FUNCTION ${schema}.find_invitation_by_token_hash(p_token_hash bytea)
  RETURNS TABLE (organization_id uuid, invitation_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
    SELECT i.organization_id, i.id FROM invitations i
     WHERE i.token_hash = p_token_hash AND i.accepted_at IS NULL
  $$;

-- Explicit, whatever the default privileges were when this ran.
REVOKE ALL ON FUNCTION ${schema}.find_organization_by_slug(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${schema}.find_invitation_by_token_hash(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.find_organization_by_slug(text) TO ${runtime_role};
GRANT EXECUTE ON FUNCTION ${schema}.find_invitation_by_token_hash(bytea) TO ${runtime_role};
