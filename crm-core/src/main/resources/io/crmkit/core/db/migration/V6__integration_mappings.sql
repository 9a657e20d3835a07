-- Links between records of different modules (conversation ↔ customer, conversation ↔ ticket, ...).
-- The targets live in tables of several modules, so these ids cannot carry foreign keys; modules
-- that delete a record remove its mappings through the merge/unlink SPI.
CREATE TABLE ${schema}.integration_mappings (
  organization_id   uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  source_module     text NOT NULL CHECK (source_module ~ '^[a-z][a-z0-9_]{0,49}$'),
  source_record_id  uuid NOT NULL,
  target_module     text NOT NULL CHECK (target_module ~ '^[a-z][a-z0-9_]{0,49}$'),
  target_record_id  uuid NOT NULL,
  mapping_type      text NOT NULL CHECK (mapping_type ~ '^[a-z][a-z0-9_]{0,49}$'),
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, source_module, source_record_id, mapping_type, target_module, target_record_id)
);

CREATE INDEX integration_mappings_target_idx
  ON ${schema}.integration_mappings (organization_id, target_module, target_record_id);

ALTER TABLE ${schema}.integration_mappings ENABLE ROW LEVEL SECURITY;
CREATE POLICY integration_mappings_tenant ON ${schema}.integration_mappings
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));

GRANT SELECT, INSERT, DELETE ON ${schema}.integration_mappings TO ${runtime_role};
