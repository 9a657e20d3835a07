-- A stand-in for a later module (tickets, conversations) holding rows that point at a customer:
-- CustomerMergeSpiTest checks that merges move them and deletions unlink them.
CREATE TABLE ${schema}.mergetest_deals (
  organization_id uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid,
  title text NOT NULL,
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, customer_id) REFERENCES ${schema}.customers (organization_id, id)
    ON DELETE SET NULL (customer_id)
);
ALTER TABLE ${schema}.mergetest_deals ENABLE ROW LEVEL SECURITY;
CREATE POLICY mergetest_deals_tenant ON ${schema}.mergetest_deals
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.mergetest_deals TO ${runtime_role};
GRANT UPDATE (customer_id, title) ON ${schema}.mergetest_deals TO ${runtime_role};
