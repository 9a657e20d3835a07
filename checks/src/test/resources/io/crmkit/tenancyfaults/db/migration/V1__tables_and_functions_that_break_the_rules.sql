-- A test-only module's migration that breaks the foundation's tenancy rules on purpose, one object
-- per breach, for TenancyRulesBrokenOnPurposeTest: the tenancy check must name each one, and
-- nothing else. Runs as ${owner_role}, like every module's migrations.

-- A tenant table without row security, and one with row security but no policy.
CREATE TABLE ${schema}.unguarded_notes (
  organization_id uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  body text NOT NULL,
  PRIMARY KEY (organization_id, id)
);
GRANT SELECT, INSERT, DELETE ON ${schema}.unguarded_notes TO ${runtime_role};
GRANT UPDATE (body) ON ${schema}.unguarded_notes TO ${runtime_role};

CREATE TABLE ${schema}.policyless_notes (
  organization_id uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  body text NOT NULL,
  PRIMARY KEY (organization_id, id)
);
ALTER TABLE ${schema}.policyless_notes ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, DELETE ON ${schema}.policyless_notes TO ${runtime_role};

-- A single-column foreign key between tenant tables; its parent needs a key on id alone, itself a breach.
CREATE TABLE ${schema}.loose_parents (
  organization_id uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (id)
);
CREATE TABLE ${schema}.loose_children (
  organization_id uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  parent_id uuid NOT NULL REFERENCES ${schema}.loose_parents (id) ON DELETE CASCADE,
  PRIMARY KEY (organization_id, id)
);

-- A primary key and a unique key without the tenant.
CREATE TABLE ${schema}.keyless_tags (
  organization_id uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE
);

-- A policy that is not the bare equality.
CREATE TABLE ${schema}.leaky_notes (
  organization_id uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  body text NOT NULL,
  PRIMARY KEY (organization_id, id)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['loose_parents', 'loose_children', 'keyless_tags'] LOOP
    EXECUTE format('ALTER TABLE ${schema}.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON ${schema}.%I USING (organization_id = (SELECT ${schema}.current_organization_id()))'
        || ' WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()))', t || '_tenant', t);
    EXECUTE format('GRANT SELECT, INSERT ON ${schema}.%I TO ${runtime_role}', t);
  END LOOP;
END
$$;

ALTER TABLE ${schema}.leaky_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY leaky_notes_tenant ON ${schema}.leaky_notes
  USING (organization_id = (SELECT ${schema}.current_organization_id()) OR true)
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT, DELETE ON ${schema}.leaky_notes TO ${runtime_role};
GRANT UPDATE (body) ON ${schema}.leaky_notes TO ${runtime_role};

-- Definer functions: one without a pinned search_path, one PUBLIC may execute, one whose path
-- puts pg_temp first (a caller's temporary table named customers would be read instead).
CREATE FUNCTION ${schema}.unpinned_count() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER
  AS $$ SELECT count(*) FROM ${schema}.customers $$;
REVOKE ALL ON FUNCTION ${schema}.unpinned_count() FROM PUBLIC;

CREATE FUNCTION ${schema}.public_count() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$ SELECT count(*) FROM customers $$;
GRANT EXECUTE ON FUNCTION ${schema}.public_count() TO PUBLIC;

CREATE FUNCTION ${schema}.temp_first_count() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_temp, ${schema}
  AS $$ SELECT count(*) FROM customers $$;
REVOKE ALL ON FUNCTION ${schema}.temp_first_count() FROM PUBLIC;

-- Reached by the runtime role without row security: a table of no tenant, and a view that runs as
-- its owner (who row security does not apply to) over every tenant's customers.
CREATE TABLE ${schema}.shared_settings (
  key text PRIMARY KEY,
  value text NOT NULL
);
GRANT SELECT ON ${schema}.shared_settings TO ${runtime_role};

CREATE VIEW ${schema}.all_customer_names AS SELECT organization_id, full_name FROM ${schema}.customers;
GRANT SELECT ON ${schema}.all_customer_names TO ${runtime_role};
