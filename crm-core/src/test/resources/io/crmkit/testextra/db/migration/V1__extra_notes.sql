-- A module added after core, into a schema that is no longer empty: its V1 must run.
CREATE TABLE ${schema}.extra_notes (
  organization_id uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  body text NOT NULL,
  PRIMARY KEY (organization_id, id)
);
ALTER TABLE ${schema}.extra_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY extra_notes_tenant ON ${schema}.extra_notes
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.extra_notes TO ${runtime_role};
