-- Invitations to join an organization. The token is stored only as its SHA-256: the raw token
-- is returned once, when the invitation is made, and works once, until it expires.
CREATE TABLE ${schema}.invitations (
  organization_id   uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  email             text NOT NULL CHECK (length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+$'),
  role              text NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'manager', 'agent', 'member')),
  permissions       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(permissions) = 'object'),
  token_hash        bytea NOT NULL CHECK (length(token_hash) = 32),
  expires_at        timestamptz NOT NULL,
  accepted_at       timestamptz,
  accepted_user_id  uuid,
  invited_by        uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, token_hash),
  FOREIGN KEY (organization_id, invited_by) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (invited_by),
  FOREIGN KEY (organization_id, accepted_user_id) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (accepted_user_id),
  CHECK ((accepted_at IS NULL) = (accepted_user_id IS NULL))
);

-- One pending invitation per address and tenant.
CREATE UNIQUE INDEX invitations_pending_email_key ON ${schema}.invitations (organization_id, lower(email))
  WHERE accepted_at IS NULL;
-- For accept_invitation's lookup, which crosses tenants by design (the token is the only key).
CREATE INDEX invitations_token_hash_idx ON ${schema}.invitations (token_hash);

ALTER TABLE ${schema}.invitations ENABLE ROW LEVEL SECURITY;
CREATE POLICY invitations_tenant ON ${schema}.invitations
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));

GRANT SELECT, INSERT, DELETE ON ${schema}.invitations TO ${runtime_role};
GRANT UPDATE (accepted_at, accepted_user_id) ON ${schema}.invitations TO ${runtime_role};
