-- Filtered and sorted customer lists with keyset pagination. Every sort key is NOT NULL: keyset
-- over a nullable column silently loses rows, so the name sorts by name_sort ('' when there is no
-- name, kept by a trigger; see V10). Like search, lists run as the owner in
-- list_customers: jsonb, array and LIKE conditions are not leakproof, so under RLS they could
-- not be index conditions. The tenant comes only from the transaction's setting.
CREATE INDEX customers_updated_idx ON ${schema}.customers (organization_id, updated_at, id);
CREATE INDEX customers_name_idx ON ${schema}.customers (organization_id, name_sort, id);
CREATE INDEX customers_score_idx ON ${schema}.customers (organization_id, lead_score, id);
CREATE INDEX customers_value_idx ON ${schema}.customers (organization_id, estimated_value_minor, id);
CREATE INDEX customers_tags_idx ON ${schema}.customers USING gin (tags);

-- One page of the current tenant's customers. Conditions are added only for the filters given,
-- so each combination is planned for what it asks; the sort column comes from a fixed list.
CREATE FUNCTION ${schema}.list_customers(
    p_query text, p_stage uuid, p_assignee uuid, p_tags_any text[], p_tags_all text[], p_source text,
    p_created_from timestamptz, p_created_to timestamptz, p_field_key text, p_field_value jsonb,
    p_sort text, p_descending boolean, p_after_key text, p_after_id uuid, p_limit integer)
  RETURNS SETOF ${schema}.customers
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ${schema}, ${trgm_schema}, pg_temp
  AS $$
DECLARE
  org uuid := current_organization_id();
  sort_column text;
  sort_type text;
  sql text;
  cmp text := CASE WHEN p_descending THEN '<' ELSE '>' END;
  dir text := CASE WHEN p_descending THEN 'DESC' ELSE 'ASC' END;
BEGIN
  IF org IS NULL THEN
    RETURN;
  END IF;
  CASE p_sort
    WHEN 'created' THEN sort_column := 'created_at'; sort_type := 'timestamptz';
    WHEN 'updated' THEN sort_column := 'updated_at'; sort_type := 'timestamptz';
    WHEN 'name' THEN sort_column := 'name_sort'; sort_type := 'text';
    WHEN 'lead_score' THEN sort_column := 'lead_score'; sort_type := 'integer';
    WHEN 'value' THEN sort_column := 'estimated_value_minor'; sort_type := 'bigint';
    ELSE RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('unknown sort %L', p_sort);
  END CASE;
  sql := 'SELECT c.* FROM customers c WHERE c.organization_id = $1';
  IF p_query IS NOT NULL THEN
    sql := sql || ' AND c.search_text LIKE ''%'' || replace(replace(replace(search_fold($2), ''\'', ''\\''),'
               || ' ''%'', ''\%''), ''_'', ''\_'') || ''%''';
  END IF;
  IF p_stage IS NOT NULL THEN sql := sql || ' AND c.sales_stage_id = $3'; END IF;
  IF p_assignee IS NOT NULL THEN sql := sql || ' AND c.assigned_to = $4'; END IF;
  IF p_tags_any IS NOT NULL THEN sql := sql || ' AND c.tags && $5'; END IF;
  IF p_tags_all IS NOT NULL THEN sql := sql || ' AND c.tags @> $6'; END IF;
  IF p_source IS NOT NULL THEN sql := sql || ' AND c.source = $7'; END IF;
  IF p_created_from IS NOT NULL THEN sql := sql || ' AND c.created_at >= $8'; END IF;
  IF p_created_to IS NOT NULL THEN sql := sql || ' AND c.created_at < $9'; END IF;
  IF p_field_key IS NOT NULL THEN sql := sql || ' AND c.custom_fields -> $10 = $11'; END IF;
  IF p_after_id IS NOT NULL THEN
    sql := sql || format(' AND (c.%I, c.id) %s ($12::%s, $13)', sort_column, cmp, sort_type);
  END IF;
  sql := sql || format(' ORDER BY c.%I %s, c.id %s LIMIT least(greatest($14, 1), 201)', sort_column, dir, dir);
  RETURN QUERY EXECUTE sql USING org, p_query, p_stage, p_assignee, p_tags_any, p_tags_all, p_source,
    p_created_from, p_created_to, p_field_key, p_field_value, p_after_key, p_after_id, p_limit;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.list_customers(text, uuid, uuid, text[], text[], text, timestamptz, timestamptz,
  text, jsonb, text, boolean, text, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.list_customers(text, uuid, uuid, text[], text[], text, timestamptz, timestamptz,
  text, jsonb, text, boolean, text, uuid, integer) TO ${runtime_role};
