-- Free-text customer search over customers.search_text (folded; see V10), a trigram GIN index
-- serving the substring match.
--
-- Under RLS, ILIKE and the trigram operators are not leakproof, so PostgreSQL would apply them as
-- a filter over every row of the tenant instead of through the index. Search therefore runs in
-- search_customers below, owned by ${owner_role} (which RLS does not confine) and taking the
-- tenant only from the transaction's setting, never from a parameter.
--
-- Fuzzy customer search: after the customers whose folded text contains the query (tier 0, newest
-- first), the customers whose name or company has a word spelled close to it (tier 1, closest
-- first, then newest): pg_trgm's word similarity of at least 0.5, so mohamed finds Mohammed,
-- khaled Khalid, jon John. Only a query of letters (at least three) is matched fuzzily, and only
-- against fuzzy_text (folded name and company): emails and phone numbers are identifiers, and a
-- near-miss of one (or of its domain) is another customer.
--
-- Why two tiers and not one OR: in an OR with the substring condition (or alone under ORDER BY
-- created_at LIMIT n) the planner underestimates how rarely the similarity operator matches and
-- walks the (organization_id, created_at) index filtering every row of the tenant: seconds at a
-- million customers. Each tier is planned alone with the query's value (EXECUTE ... USING), and
-- tier 1 collects its candidates (id, created_at, score only) through fuzzy_text's trigram index
-- in a MATERIALIZED CTE, so its cost follows the number of close spellings in the table, not the
-- size of the tenant; only the page's rows are read whole. Tier 1 runs only when tier 0 did not
-- fill the page.

-- Load pg_trgm's library in this session, so the function's SET below names a known parameter
-- (the owner may not store a setting for a parameter PostgreSQL does not know yet).
SELECT ${trgm_schema}.word_similarity('a', 'a');

-- Keyset: a page continues after (p_after_tier, p_after_score, p_after_at, p_after_id); all null
-- for the first page. Without a tenant it returns nothing. The tenant comes only from the setting.
CREATE FUNCTION ${schema}.search_customers(p_query text, p_after_tier integer, p_after_score real,
    p_after_at timestamptz, p_after_id uuid, p_limit integer)
  RETURNS TABLE (match_tier integer, match_score real, match_row ${schema}.customers)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ${schema}, ${trgm_schema}, pg_temp
  SET pg_trgm.word_similarity_threshold = 0.5
  AS $fn$
DECLARE
  org uuid := current_organization_id();
  folded text := btrim(search_fold(p_query));
  pattern text := '%' || replace(replace(replace(folded, '\', '\\'), '%', '\%'), '_', '\_') || '%';
  wanted integer := least(greatest(p_limit, 1), 201);
  got integer := 0;
BEGIN
  IF org IS NULL OR coalesce(folded, '') = '' THEN
    RETURN;
  END IF;
  IF p_after_tier IS NULL OR p_after_tier = 0 THEN
    RETURN QUERY EXECUTE
      'SELECT 0, NULL::real, c FROM customers c
        WHERE c.organization_id = $1 AND c.search_text LIKE $2
          AND ($3::uuid IS NULL OR (c.created_at, c.id) < ($4, $3))
        ORDER BY c.created_at DESC, c.id DESC LIMIT $5'
      USING org, pattern, p_after_id, p_after_at, wanted;
    GET DIAGNOSTICS got = ROW_COUNT;
  END IF;
  IF got < wanted AND folded ~ '^[[:alpha:][:space:].''-]+$'
     AND char_length(regexp_replace(folded, '[^[:alpha:]]', '', 'g')) >= 3 THEN
    RETURN QUERY EXECUTE
      'WITH candidates AS MATERIALIZED (
         SELECT c.id, c.created_at, word_similarity($2, c.fuzzy_text) AS score
           FROM customers c
          WHERE c.organization_id = $1 AND c.fuzzy_text %> $2 AND c.search_text NOT LIKE $3)
       SELECT 1, k.score, c
         FROM (SELECT * FROM candidates
                WHERE $4::uuid IS NULL OR (score, created_at, id) < ($5, $6, $4)
                ORDER BY score DESC, created_at DESC, id DESC LIMIT $7) k
         JOIN customers c ON c.organization_id = $1 AND c.id = k.id
        ORDER BY k.score DESC, k.created_at DESC, k.id DESC'
      USING org, folded, pattern, CASE WHEN p_after_tier = 1 THEN p_after_id END, p_after_score, p_after_at,
            wanted - got;
  END IF;
END
$fn$;
REVOKE ALL ON FUNCTION ${schema}.search_customers(text, integer, real, timestamptz, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.search_customers(text, integer, real, timestamptz, uuid, integer) TO ${runtime_role};
