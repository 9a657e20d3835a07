-- Agents and other members of an organization. The host owns identity: external_ref carries the
-- host's reference for the person (its user id, subject, ...). A person who works for two tenants
-- has two rows, so email and external_ref are unique per organization, not globally.
-- Users are deactivated, never deleted: tickets, messages and activities keep their author.
CREATE TABLE ${schema}.users (
  organization_id         uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                      uuid NOT NULL DEFAULT gen_random_uuid(),
  external_ref            text CHECK (length(external_ref) BETWEEN 1 AND 255),
  email                   text NOT NULL CHECK (length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+$'),
  full_name               text CHECK (length(full_name) <= 255),
  avatar_url              text,
  phone                   text CHECK (length(phone) <= 32),
  role                    text NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'manager', 'agent', 'member')),
  permissions             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(permissions) = 'object'),
  is_active               boolean NOT NULL DEFAULT true,
  deactivated_at          timestamptz,
  invited_by              uuid,
  invitation_accepted_at  timestamptz,
  last_login_at           timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, invited_by) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (invited_by),
  CHECK (is_active OR deactivated_at IS NOT NULL)
);

CREATE UNIQUE INDEX users_email_key ON ${schema}.users (organization_id, lower(email));
CREATE UNIQUE INDEX users_external_ref_key ON ${schema}.users (organization_id, external_ref)
  WHERE external_ref IS NOT NULL;
CREATE INDEX users_role_idx ON ${schema}.users (organization_id, role) WHERE is_active;

CREATE TRIGGER users_touch_updated_at BEFORE UPDATE ON ${schema}.users
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();

-- The seed's users policies queried users inside a users policy (infinite recursion) and used
-- Supabase's auth.uid(). Role checks live in the Java services; the policy is the tenant alone.
ALTER TABLE ${schema}.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_tenant ON ${schema}.users
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));

GRANT SELECT, INSERT ON ${schema}.users TO ${runtime_role};
GRANT UPDATE (external_ref, email, full_name, avatar_url, phone, role, permissions, is_active,
              deactivated_at, invitation_accepted_at, last_login_at) ON ${schema}.users TO ${runtime_role};
