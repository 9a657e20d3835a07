-- The id a customer has in another system (the CRM it was imported from, the host's own records):
-- unique per tenant, what an import can match rows by, what a host can look a customer up by.
-- Compared exactly (Salesforce ids differ by case only), never blank or padded.
ALTER TABLE ${schema}.customers ADD COLUMN external_id text
  CHECK (length(external_id) BETWEEN 1 AND 255 AND external_id = btrim(external_id));

CREATE UNIQUE INDEX customers_external_id_key ON ${schema}.customers (organization_id, external_id)
  WHERE external_id IS NOT NULL;

GRANT UPDATE (external_id) ON ${schema}.customers TO ${runtime_role};
