-- Customers (contacts). Phones are E.164 (normalized in Java with the organization's region),
-- emails compared case-insensitively; one customer per WhatsApp phone and per email within a
-- tenant, enforced here by partial unique indexes that include organization_id, so two
-- concurrent creates of the same phone give one row. Money is integer minor units.
-- Every column a list sorts or keys on is NOT NULL (keyset over a nullable column loses rows).
CREATE TABLE ${schema}.customers (
  organization_id        uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                     uuid NOT NULL DEFAULT gen_random_uuid(),
  whatsapp_phone         text CHECK (whatsapp_phone ~ '^\+[1-9][0-9]{6,14}$'),
  full_name              text CHECK (length(full_name) BETWEEN 1 AND 255),
  email                  text CHECK (length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+$'),
  -- lower() is not leakproof, so under RLS an index on lower(email) would not be used; this
  -- lower-case copy (kept by the trigger below; not a generated column, which the updated_at
  -- trigger's whole-row WHEN cannot see) is compared with plain, leakproof text equality.
  email_lower            text CHECK (email_lower IS NOT DISTINCT FROM lower(email)),
  phone                  text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  company                text CHECK (length(company) <= 255),
  position               text CHECK (length(position) <= 100),
  -- New customers land in the default stage; a stage with customers cannot be deleted.
  sales_stage_id         uuid NOT NULL,
  lead_score             integer NOT NULL DEFAULT 0 CHECK (lead_score BETWEEN 0 AND 100),
  estimated_value_minor  bigint NOT NULL DEFAULT 0 CHECK (estimated_value_minor BETWEEN 0 AND 1000000000000000),
  currency               text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  source                 text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'whatsapp', 'import', 'api')),
  assigned_to            uuid,
  tags                   text[] NOT NULL DEFAULT '{}' CHECK (array_position(tags, NULL) IS NULL),
  notes                  text,
  custom_fields          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
  created_by             uuid,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  -- Folded (see search_fold below) name, company, email and phones: what search looks in.
  search_text            text NOT NULL DEFAULT '',
  -- The folded name, '' without one: the list's name sort (a keyset over a nullable column loses rows).
  name_sort              text NOT NULL DEFAULT '',
  -- The folded name and company alone: what close spellings are matched against (never emails or phones).
  fuzzy_text             text NOT NULL DEFAULT '',
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, sales_stage_id) REFERENCES ${schema}.sales_stages (organization_id, id)
    ON DELETE RESTRICT,
  FOREIGN KEY (organization_id, assigned_to) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (assigned_to),
  FOREIGN KEY (organization_id, created_by) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (created_by),
  CHECK (full_name IS NOT NULL OR whatsapp_phone IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL)
);

CREATE UNIQUE INDEX customers_whatsapp_phone_key ON ${schema}.customers (organization_id, whatsapp_phone)
  WHERE whatsapp_phone IS NOT NULL;
CREATE UNIQUE INDEX customers_email_key ON ${schema}.customers (organization_id, email_lower)
  WHERE email_lower IS NOT NULL;
CREATE INDEX customers_created_idx ON ${schema}.customers (organization_id, created_at, id);
CREATE INDEX customers_stage_idx ON ${schema}.customers (organization_id, sales_stage_id);
CREATE INDEX customers_assigned_idx ON ${schema}.customers (organization_id, assigned_to) WHERE assigned_to IS NOT NULL;

CREATE FUNCTION ${schema}.customers_set_email_lower() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.email_lower := lower(NEW.email);
  RETURN NEW;
END
$$;
GRANT EXECUTE ON FUNCTION ${schema}.customers_set_email_lower() TO ${runtime_role};

-- Named to run before the updated_at trigger (BEFORE triggers fire in name order).
CREATE TRIGGER customers_a_set_email_lower BEFORE INSERT OR UPDATE OF email ON ${schema}.customers
  FOR EACH ROW EXECUTE FUNCTION ${schema}.customers_set_email_lower();

CREATE TRIGGER customers_touch_updated_at BEFORE UPDATE ON ${schema}.customers
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();

ALTER TABLE ${schema}.customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY customers_tenant ON ${schema}.customers
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));

GRANT SELECT, INSERT, DELETE ON ${schema}.customers TO ${runtime_role};
GRANT UPDATE (whatsapp_phone, full_name, email, phone, company, position, sales_stage_id, lead_score,
              estimated_value_minor, currency, source, assigned_to, tags, notes, custom_fields)
  ON ${schema}.customers TO ${runtime_role};

-- Search text, Arabic-aware: lower case; أ إ آ ٱ → ا; ة → ه; ى → ي; tashkeel and tatweel removed.
-- The query is folded the same way, so احمد finds أحمد and إحمد. Kept by triggers, not generated
-- columns, which the updated_at trigger's whole-row WHEN could not see.
CREATE FUNCTION ${schema}.search_fold(p_text text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT regexp_replace(translate(lower(p_text), 'أإآٱةى', 'ااااهي'), '[ً-ٰٟـ]', '', 'g')
  $$;
GRANT EXECUTE ON FUNCTION ${schema}.search_fold(text) TO ${runtime_role};

CREATE FUNCTION ${schema}.customers_set_search_text() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  NEW.search_text := search_fold(concat_ws(' ', NEW.full_name, NEW.company, NEW.email, NEW.whatsapp_phone, NEW.phone));
  NEW.fuzzy_text := coalesce(search_fold(concat_ws(' ', NEW.full_name, NEW.company)), '');
  RETURN NEW;
END
$$;
GRANT EXECUTE ON FUNCTION ${schema}.customers_set_search_text() TO ${runtime_role};

CREATE TRIGGER customers_b_set_search_text
  BEFORE INSERT OR UPDATE OF full_name, company, email, whatsapp_phone, phone ON ${schema}.customers
  FOR EACH ROW EXECUTE FUNCTION ${schema}.customers_set_search_text();

CREATE FUNCTION ${schema}.customers_set_name_sort() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  NEW.name_sort := coalesce(search_fold(NEW.full_name), '');
  RETURN NEW;
END
$$;
GRANT EXECUTE ON FUNCTION ${schema}.customers_set_name_sort() TO ${runtime_role};

CREATE TRIGGER customers_c_set_name_sort BEFORE INSERT OR UPDATE OF full_name ON ${schema}.customers
  FOR EACH ROW EXECUTE FUNCTION ${schema}.customers_set_name_sort();

CREATE INDEX customers_search_trgm_idx ON ${schema}.customers USING gin (search_text ${trgm_schema}.gin_trgm_ops);
CREATE INDEX customers_fuzzy_trgm_idx ON ${schema}.customers USING gin (fuzzy_text ${trgm_schema}.gin_trgm_ops);
