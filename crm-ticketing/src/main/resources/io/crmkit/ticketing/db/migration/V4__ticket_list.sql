-- One page of the current tenant's tickets, newest first. Text in the title (trigram) and tags
-- (array) are not leakproof, so under RLS they could not be index conditions; as the owner they
-- can, and the tenant comes only from the transaction's setting (no tenant, no rows). Conditions
-- are added only for the filters given, so each combination is planned for what it asks.
CREATE FUNCTION ${schema}.list_tickets(
    p_status text[], p_priority text[], p_type text[], p_assignee uuid, p_unassigned boolean, p_customer uuid,
    p_tag text, p_text text, p_after_at timestamptz, p_after_id uuid, p_limit integer)
  RETURNS SETOF ${schema}.tickets
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ${schema}, ${trgm_schema}, pg_temp
  AS $$
DECLARE
  org uuid := current_organization_id();
  sql text;
BEGIN
  IF org IS NULL THEN
    RETURN;
  END IF;
  sql := 'SELECT t.* FROM tickets t WHERE t.organization_id = $1';
  IF p_status IS NOT NULL THEN sql := sql || ' AND t.status = ANY ($2)'; END IF;
  IF p_priority IS NOT NULL THEN sql := sql || ' AND t.priority = ANY ($3)'; END IF;
  IF p_type IS NOT NULL THEN sql := sql || ' AND t.type = ANY ($4)'; END IF;
  IF p_assignee IS NOT NULL THEN sql := sql || ' AND t.assigned_to = $5'; END IF;
  IF p_unassigned THEN sql := sql || ' AND t.assigned_to IS NULL'; END IF;
  IF p_customer IS NOT NULL THEN sql := sql || ' AND t.customer_id = $7'; END IF;
  IF p_tag IS NOT NULL THEN sql := sql || ' AND t.tags @> ARRAY[$8]'; END IF;
  IF p_text IS NOT NULL THEN
    sql := sql || ' AND t.title_fold LIKE ''%'' || replace(replace(replace(search_fold($9), ''\'', ''\\''),'
               || ' ''%'', ''\%''), ''_'', ''\_'') || ''%''';
  END IF;
  IF p_after_id IS NOT NULL THEN sql := sql || ' AND (t.created_at, t.id) < ($10, $11)'; END IF;
  sql := sql || ' ORDER BY t.created_at DESC, t.id DESC LIMIT least(greatest($12, 1), 201)';
  RETURN QUERY EXECUTE sql USING org, p_status, p_priority, p_type, p_assignee, p_unassigned, p_customer, p_tag,
    p_text, p_after_at, p_after_id, p_limit;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.list_tickets(text[], text[], text[], uuid, boolean, uuid, text, text, timestamptz,
  uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.list_tickets(text[], text[], text[], uuid, boolean, uuid, text, text,
  timestamptz, uuid, integer) TO ${runtime_role};
