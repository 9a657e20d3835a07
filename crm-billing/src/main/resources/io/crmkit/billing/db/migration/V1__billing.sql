-- Billing (the seed's Module 5), mirrored from Stripe. Changed from the seed: the tenant in every
-- key and unique constraint, composite foreign keys; money in minor units (bigint) with its
-- currency, as Stripe sends it; invoice numbers unique per organization, not across tenants; each
-- mirrored row keeps the time of the Stripe event that last wrote it, so an older event never
-- overwrites a newer state. The plan catalog (crm-core's packages, with its Stripe price ids)
-- stays the one catalog.

-- An organization's Stripe customer, made once (the organization id in its metadata) when it first
-- starts a checkout or opens the portal.
CREATE TABLE ${schema}.billing_customers (
  organization_id     uuid PRIMARY KEY REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  stripe_customer_id  text NOT NULL CHECK (stripe_customer_id ~ '^cus_[A-Za-z0-9]{1,250}$'),
  -- Its default payment method for invoices, as the latest customer.updated told it.
  default_payment_method  text CHECK (length(default_payment_method) BETWEEN 1 AND 255),
  default_set_at      timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, stripe_customer_id)
);
-- The routing function's lookup, by customer across tenants.
CREATE INDEX billing_customers_stripe_idx ON ${schema}.billing_customers (stripe_customer_id);
ALTER TABLE ${schema}.billing_customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY billing_customers_tenant ON ${schema}.billing_customers
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.billing_customers TO ${runtime_role};
GRANT UPDATE (default_payment_method, default_set_at) ON ${schema}.billing_customers TO ${runtime_role};

-- An organization's Stripe subscriptions, as the latest event told them.
CREATE TABLE ${schema}.subscriptions (
  organization_id         uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                      uuid NOT NULL DEFAULT gen_random_uuid(),
  stripe_subscription_id  text NOT NULL CHECK (stripe_subscription_id ~ '^sub_[A-Za-z0-9]{1,250}$'),
  stripe_price_id         text CHECK (length(stripe_price_id) BETWEEN 1 AND 255),
  -- Its (one) item, which a plan change swaps to another price.
  stripe_item_id          text CHECK (length(stripe_item_id) BETWEEN 1 AND 255),
  plan_slug               text,
  billing_interval        text CHECK (billing_interval IN ('monthly', 'yearly')),
  status                  text NOT NULL CHECK (status IN ('incomplete', 'incomplete_expired', 'trialing', 'active',
                                                          'past_due', 'canceled', 'unpaid', 'paused')),
  amount_minor            bigint CHECK (amount_minor >= 0),
  currency                text CHECK (currency ~ '^[A-Z]{3}$'),
  current_period_start    timestamptz,
  current_period_end      timestamptz,
  trial_end               timestamptz,
  cancel_at_period_end    boolean NOT NULL DEFAULT false,
  canceled_at             timestamptz,
  ended_at                timestamptz,
  -- Since when it is past due (its grace period counts from here); null unless past due.
  past_due_since          timestamptz,
  -- The Stripe event (its created time) whose state this row holds.
  stripe_event_at         timestamptz NOT NULL,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, stripe_subscription_id)
);
CREATE TRIGGER subscriptions_touch_updated_at BEFORE UPDATE ON ${schema}.subscriptions
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();
ALTER TABLE ${schema}.subscriptions ENABLE ROW LEVEL SECURITY;
CREATE POLICY subscriptions_tenant ON ${schema}.subscriptions
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.subscriptions TO ${runtime_role};
GRANT UPDATE (stripe_price_id, stripe_item_id, plan_slug, billing_interval, status, amount_minor, currency, current_period_start,
  current_period_end, trial_end, cancel_at_period_end, canceled_at, ended_at, past_due_since, stripe_event_at,
  updated_at) ON ${schema}.subscriptions TO ${runtime_role};

-- Invoices, mirrored from their events; the number is unique within the organization.
CREATE TABLE ${schema}.invoices (
  organization_id         uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                      uuid NOT NULL DEFAULT gen_random_uuid(),
  stripe_invoice_id       text NOT NULL CHECK (stripe_invoice_id ~ '^in_[A-Za-z0-9]{1,250}$'),
  stripe_subscription_id  text,
  number                  text CHECK (length(number) BETWEEN 1 AND 100),
  status                  text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
  currency                text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  subtotal_minor          bigint NOT NULL,
  tax_minor               bigint NOT NULL DEFAULT 0,
  total_minor             bigint NOT NULL,
  amount_due_minor        bigint NOT NULL,
  amount_paid_minor       bigint NOT NULL,
  hosted_invoice_url      text CHECK (hosted_invoice_url ~ '^https://'),
  invoice_pdf_url         text CHECK (invoice_pdf_url ~ '^https://'),
  period_start            timestamptz,
  period_end              timestamptz,
  issued_at               timestamptz NOT NULL,
  due_at                  timestamptz,
  paid_at                 timestamptz,
  stripe_event_at         timestamptz NOT NULL,
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, stripe_invoice_id),
  UNIQUE (organization_id, number)
);
CREATE INDEX invoices_issued_idx ON ${schema}.invoices (organization_id, issued_at DESC, id DESC);
ALTER TABLE ${schema}.invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON ${schema}.invoices
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.invoices TO ${runtime_role};
GRANT UPDATE (stripe_subscription_id, number, status, currency, subtotal_minor, tax_minor, total_minor,
  amount_due_minor, amount_paid_minor, hosted_invoice_url, invoice_pdf_url, period_start, period_end, issued_at,
  due_at, paid_at, stripe_event_at) ON ${schema}.invoices TO ${runtime_role};

-- Payment methods attached to the organization's customer; detached ones keep their row, marked.
CREATE TABLE ${schema}.payment_methods (
  organization_id           uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                        uuid NOT NULL DEFAULT gen_random_uuid(),
  stripe_payment_method_id  text NOT NULL CHECK (stripe_payment_method_id ~ '^(pm|card|src)_[A-Za-z0-9]{1,250}$'),
  type                      text NOT NULL CHECK (length(type) BETWEEN 1 AND 50),
  card_brand                text CHECK (length(card_brand) BETWEEN 1 AND 50),
  card_last4                text CHECK (card_last4 ~ '^[0-9]{4}$'),
  card_exp_month            integer CHECK (card_exp_month BETWEEN 1 AND 12),
  card_exp_year             integer CHECK (card_exp_year BETWEEN 2000 AND 2200),
  is_default                boolean NOT NULL DEFAULT false,
  detached_at               timestamptz,
  stripe_event_at           timestamptz NOT NULL,
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, stripe_payment_method_id)
);
ALTER TABLE ${schema}.payment_methods ENABLE ROW LEVEL SECURITY;
CREATE POLICY payment_methods_tenant ON ${schema}.payment_methods
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.payment_methods TO ${runtime_role};
GRANT UPDATE (type, card_brand, card_last4, card_exp_month, card_exp_year, is_default, detached_at, stripe_event_at)
  ON ${schema}.payment_methods TO ${runtime_role};

-- Every Stripe event of the organization, once (a replay is acknowledged and changes nothing);
-- unknown types are recorded too.
CREATE TABLE ${schema}.billing_events (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  stripe_event_id  text NOT NULL CHECK (stripe_event_id ~ '^evt_[A-Za-z0-9]{1,250}$'),
  type             text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
  api_version      text CHECK (length(api_version) BETWEEN 1 AND 100),
  object_id        text CHECK (length(object_id) BETWEEN 1 AND 255),
  created          timestamptz NOT NULL,
  received_at      timestamptz NOT NULL,
  -- What the event did: applied, stale (an older state than the one kept), or ignored (a type not handled).
  outcome          text NOT NULL CHECK (outcome IN ('applied', 'stale', 'ignored')),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, stripe_event_id)
);
ALTER TABLE ${schema}.billing_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY billing_events_tenant ON ${schema}.billing_events
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.billing_events TO ${runtime_role};
GRANT UPDATE (outcome) ON ${schema}.billing_events TO ${runtime_role};

-- Billing's one path across tenants: the organization a Stripe customer belongs to, for the
-- webhook (never from the event's metadata, which the customer's owner could edit). Called
-- outside any tenant; answers only for exactly one organization, and reveals its id alone.
CREATE FUNCTION ${schema}.billing_organization_of_customer(p_customer text)
  RETURNS uuid
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  v_found uuid[];
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION 'billing_organization_of_customer runs outside any tenant' USING ERRCODE = '42501';
  END IF;
  SELECT array_agg(b.organization_id) INTO v_found
    FROM billing_customers b WHERE b.stripe_customer_id = p_customer;
  RETURN CASE WHEN cardinality(v_found) = 1 THEN v_found[1] END;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.billing_organization_of_customer(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.billing_organization_of_customer(text) TO ${runtime_role};

-- The catalog's Stripe prices, which a tenant does not see (it sees its own package only): the
-- price of a plan a tenant may buy (active, not custom) for an interval, and the plan and interval
-- of a price. They reveal the catalog's price ids and slugs, nothing of any tenant.
CREATE FUNCTION ${schema}.billing_price_of_plan(p_slug text, p_interval text)
  RETURNS TABLE (slug text, price_id text)
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
  SELECT p.slug, CASE p_interval WHEN 'monthly' THEN p.stripe_price_id_monthly
                                 WHEN 'yearly' THEN p.stripe_price_id_yearly END
    FROM packages p WHERE p.slug = p_slug AND p.is_active AND NOT p.is_custom
$$;
REVOKE ALL ON FUNCTION ${schema}.billing_price_of_plan(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.billing_price_of_plan(text, text) TO ${runtime_role};

CREATE FUNCTION ${schema}.billing_plan_of_price(p_price text)
  RETURNS TABLE (slug text, billing_interval text)
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
  SELECT p.slug, CASE WHEN p.stripe_price_id_monthly = p_price THEN 'monthly' ELSE 'yearly' END
    FROM packages p WHERE p_price IN (p.stripe_price_id_monthly, p.stripe_price_id_yearly)
   ORDER BY p.slug LIMIT 1
$$;
REVOKE ALL ON FUNCTION ${schema}.billing_plan_of_price(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.billing_plan_of_price(text) TO ${runtime_role};

-- Billing's job across tenants: organizations whose latest subscription has been past due since
-- before p_before and that are not on the fallback plan yet, for the job that ends their grace.
-- Called outside any tenant; reveals organization ids only.
CREATE FUNCTION ${schema}.billing_grace_ended(p_before timestamptz, p_fallback text, p_max integer)
  RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION 'billing_grace_ended runs outside any tenant' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
  SELECT o.id FROM organizations o
    JOIN packages p ON p.id = o.package_id
   WHERE p.slug <> p_fallback
     AND (SELECT s.status = 'past_due' AND s.past_due_since <= p_before
            FROM subscriptions s WHERE s.organization_id = o.id
           ORDER BY s.status IN ('trialing', 'active', 'past_due') DESC, s.stripe_event_at DESC, s.created_at DESC
           LIMIT 1)
   ORDER BY o.id
   LIMIT least(greatest(p_max, 1), 1000);
END
$$;
REVOKE ALL ON FUNCTION ${schema}.billing_grace_ended(timestamptz, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.billing_grace_ended(timestamptz, text, integer) TO ${runtime_role};
