-- Stripe's eighth subscription status: the first payment never succeeded (incomplete_expired).
ALTER TABLE ${schema}.organizations DROP CONSTRAINT organizations_subscription_status_check;
ALTER TABLE ${schema}.organizations ADD CONSTRAINT organizations_subscription_status_check
  CHECK (subscription_status IN ('trialing', 'active', 'past_due', 'canceled', 'incomplete', 'incomplete_expired',
                                 'unpaid', 'paused'));
