-- Free-text customer search, Arabic-aware. search_text holds name, company, email and phones,
-- folded: lower case; أ إ آ ٱ → ا; ة → ه; ى → ي; tashkeel and tatweel removed. The query is folded
-- the same way, so احمد finds أحمد and إحمد. A trigram GIN index serves the substring match.
-- (Fuzzy matching with pg_trgm's % is not offered yet: in an OR with the substring condition the
-- planner priced the trigram index out; to be done as its own indexed query.)
--
-- Under RLS, ILIKE and the trigram operators are not leakproof, so PostgreSQL would apply them as
-- a filter over every row of the tenant instead of through the index. Search therefore runs in
-- search_customers below, owned by ${owner_role} (which RLS does not confine) and taking the
-- tenant only from the transaction's setting, never from a parameter.
CREATE FUNCTION ${schema}.search_fold(p_text text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT regexp_replace(translate(lower(p_text), 'أإآٱةى', 'ااااهي'), '[ً-ٰٟـ]', '', 'g')
  $$;
GRANT EXECUTE ON FUNCTION ${schema}.search_fold(text) TO ${runtime_role};

ALTER TABLE ${schema}.customers ADD COLUMN search_text text NOT NULL DEFAULT '';

CREATE FUNCTION ${schema}.customers_set_search_text() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  NEW.search_text := search_fold(concat_ws(' ', NEW.full_name, NEW.company, NEW.email, NEW.whatsapp_phone, NEW.phone));
  RETURN NEW;
END
$$;
GRANT EXECUTE ON FUNCTION ${schema}.customers_set_search_text() TO ${runtime_role};

CREATE TRIGGER customers_b_set_search_text
  BEFORE INSERT OR UPDATE OF full_name, company, email, whatsapp_phone, phone ON ${schema}.customers
  FOR EACH ROW EXECUTE FUNCTION ${schema}.customers_set_search_text();

UPDATE ${schema}.customers
   SET search_text = ${schema}.search_fold(concat_ws(' ', full_name, company, email, whatsapp_phone, phone));

CREATE INDEX customers_search_trgm_idx ON ${schema}.customers USING gin (search_text ${trgm_schema}.gin_trgm_ops);

-- Customers of the current tenant whose folded text contains p_query, newest first,
-- after the keyset position (p_after_at, p_after_id). Without a tenant it returns nothing.
CREATE FUNCTION ${schema}.search_customers(p_query text, p_after_at timestamptz, p_after_id uuid, p_limit integer)
  RETURNS SETOF ${schema}.customers
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ${schema}, ${trgm_schema}, pg_temp
  AS $$
    SELECT c.*
      FROM customers c
     WHERE c.organization_id = current_organization_id()
       AND c.search_text LIKE '%' || replace(replace(replace(search_fold(p_query), '\', '\\'), '%', '\%'), '_', '\_') || '%'
       AND (p_after_at IS NULL OR (c.created_at, c.id) < (p_after_at, p_after_id))
     ORDER BY c.created_at DESC, c.id DESC
     LIMIT least(greatest(p_limit, 1), 201)
  $$;
REVOKE ALL ON FUNCTION ${schema}.search_customers(text, timestamptz, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.search_customers(text, timestamptz, uuid, integer) TO ${runtime_role};
