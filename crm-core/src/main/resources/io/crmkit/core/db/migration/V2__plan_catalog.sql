-- One plan catalog. The seed had two (packages and subscription_plans) with different limit
-- columns; packages now carries all of them and subscription_plans is a view of it.
-- NULL in a limit column means unlimited. Prices are integer minor units with a currency,
-- as Stripe keeps them (integer comparisons are leakproof under RLS, numeric ones are not).
CREATE TABLE ${schema}.packages (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug                      text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9_-]{0,49}$'),
  name                      text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description               text,
  currency                  text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  price_monthly_minor       bigint CHECK (price_monthly_minor >= 0),
  price_yearly_minor        bigint CHECK (price_yearly_minor >= 0),
  max_users                 integer CHECK (max_users >= 0),
  max_whatsapp_profiles     integer CHECK (max_whatsapp_profiles >= 0),
  max_customers             integer CHECK (max_customers >= 0),
  max_messages_per_day      integer CHECK (max_messages_per_day >= 0),
  max_tickets_per_month     integer CHECK (max_tickets_per_month >= 0),
  max_campaigns_per_month   integer CHECK (max_campaigns_per_month >= 0),
  storage_gb                integer CHECK (storage_gb >= 0),
  features                  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(features) = 'object'),
  is_active                 boolean NOT NULL DEFAULT true,
  is_custom                 boolean NOT NULL DEFAULT false,
  display_order             integer NOT NULL DEFAULT 0,
  stripe_price_id_monthly   text,
  stripe_price_id_yearly    text,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER packages_touch_updated_at BEFORE UPDATE ON ${schema}.packages
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();

INSERT INTO ${schema}.packages
  (slug, name, description, price_monthly_minor, price_yearly_minor,
   max_users, max_whatsapp_profiles, max_customers, max_messages_per_day,
   max_tickets_per_month, max_campaigns_per_month, storage_gb, features, is_custom, display_order)
VALUES
  ('free', 'Free', 'CRM only', 0, 0,
   3, 1, 100, 50, 50, 0, 1,
   '{"crm": true, "whatsapp": true, "ticketing": false, "bulk_sender": false, "reports": false, "api": false, "white_label": false}',
   false, 1),
  ('lite', 'Lite', 'CRM and ticketing', 2900, 29000,
   10, 2, 1000, 500, 500, 5, 5,
   '{"crm": true, "whatsapp": true, "ticketing": true, "bulk_sender": false, "reports": false, "api": false, "white_label": false}',
   false, 2),
  ('professional', 'Professional', 'All features except the API', 9900, 99000,
   50, 5, 10000, 5000, 5000, 50, 50,
   '{"crm": true, "whatsapp": true, "ticketing": true, "bulk_sender": true, "reports": true, "api": false, "white_label": false}',
   false, 3),
  ('business', 'Business', 'Full features', 29900, 299000,
   200, 20, 100000, 50000, 50000, 500, 200,
   '{"crm": true, "whatsapp": true, "ticketing": true, "bulk_sender": true, "reports": true, "api": true, "white_label": false}',
   false, 4),
  ('enterprise', 'Enterprise', 'Custom pricing, unlimited, white-label', NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   '{"crm": true, "whatsapp": true, "ticketing": true, "bulk_sender": true, "reports": true, "api": true, "white_label": true}',
   true, 5);

-- The seed's subscription_plans, kept as a view so billing code written against it still reads
-- the one catalog. security_invoker makes the caller's row-level security apply through it.
CREATE VIEW ${schema}.subscription_plans WITH (security_invoker = true) AS
  SELECT id, name, slug, description, price_monthly_minor, price_yearly_minor, currency,
         stripe_price_id_monthly, stripe_price_id_yearly,
         max_users, max_whatsapp_profiles, max_customers, max_tickets_per_month,
         max_messages_per_day, max_campaigns_per_month, storage_gb,
         features, is_active, display_order, created_at, updated_at
    FROM ${schema}.packages;
