-- Campaigns (the seed's Module 4): one message to many WhatsApp users of a tenant, from one of its
-- WhatsApp profiles. Changed from the seed: the tenant in every key and composite foreign keys; a
-- template campaign keeps its template (name, language, components) as jsonb, a free-form one its
-- text in message_template, and exactly one of them is set; the tags whose customers join at the
-- start are kept (audience_tags); counts never negative; pauses bounded (at most an hour).
CREATE TABLE ${schema}.campaigns (
  organization_id      uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  whatsapp_profile_id  uuid NOT NULL,
  name                 text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 255),
  message_template     text CHECK (length(message_template) BETWEEN 1 AND 4096),
  template             jsonb CHECK (jsonb_typeof(template) = 'object'),
  audience_tags        text[] NOT NULL DEFAULT '{}' CHECK (array_position(audience_tags, NULL) IS NULL),
  status               text NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'stopped')),
  status_reason        text CHECK (length(status_reason) BETWEEN 1 AND 500),
  total_recipients     integer NOT NULL DEFAULT 0 CHECK (total_recipients >= 0),
  skipped_count        integer NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
  sent_count           integer NOT NULL DEFAULT 0 CHECK (sent_count >= 0),
  failed_count         integer NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
  current_index        integer NOT NULL DEFAULT 0 CHECK (current_index >= 0),
  delay_min_ms         integer NOT NULL DEFAULT 2000 CHECK (delay_min_ms BETWEEN 0 AND 3600000),
  delay_max_ms         integer NOT NULL DEFAULT 5000 CHECK (delay_max_ms BETWEEN 0 AND 3600000),
  scheduled_at         timestamptz,
  started_at           timestamptz,
  completed_at         timestamptz,
  created_by           uuid,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, whatsapp_profile_id)
    REFERENCES ${schema}.whatsapp_profiles (organization_id, id),
  FOREIGN KEY (organization_id, created_by) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (created_by),
  CHECK ((message_template IS NULL) <> (template IS NULL)),
  CHECK (delay_min_ms <= delay_max_ms),
  CHECK (status <> 'scheduled' OR scheduled_at IS NOT NULL),
  CHECK ((status IN ('completed', 'stopped')) = (completed_at IS NOT NULL))
);
CREATE INDEX campaigns_created_idx ON ${schema}.campaigns (organization_id, created_at DESC, id DESC);
CREATE INDEX campaigns_profile_idx ON ${schema}.campaigns (organization_id, whatsapp_profile_id);
CREATE TRIGGER campaigns_touch_updated_at BEFORE UPDATE ON ${schema}.campaigns
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();
ALTER TABLE ${schema}.campaigns ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaigns_tenant ON ${schema}.campaigns
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT, DELETE ON ${schema}.campaigns TO ${runtime_role};
GRANT UPDATE (name, message_template, template, audience_tags, status, status_reason, total_recipients,
  skipped_count, sent_count, failed_count, current_index, delay_min_ms, delay_max_ms, scheduled_at, started_at,
  completed_at, updated_at) ON ${schema}.campaigns TO ${runtime_role};

-- A campaign's recipients, one per WhatsApp identity (a phone in E.164 or a business-scoped user
-- id), in order (position). Changed from the seed: the identity in its own columns, unique per
-- campaign, instead of recipient_type/recipient_id; no 'group' recipients (a CRM tag is an
-- audience of the campaign, expanded at its start; WhatsApp groups are no broadcast target); a
-- status, and the reason of a recipient that gets nothing (a number that is not one keeps it as
-- written, in phone).
CREATE TABLE ${schema}.campaign_recipients (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id      uuid NOT NULL,
  position         integer NOT NULL CHECK (position >= 1),
  phone            text CHECK (length(phone) BETWEEN 1 AND 64),
  user_id          text CHECK (length(user_id) BETWEEN 1 AND 256),
  customer_id      uuid,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'skipped')),
  skip_reason      text CHECK (skip_reason IN ('invalid_number', 'no_whatsapp_phone')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, campaign_id, position),
  UNIQUE (organization_id, campaign_id, phone),
  UNIQUE (organization_id, campaign_id, user_id),
  UNIQUE (organization_id, campaign_id, customer_id),
  FOREIGN KEY (organization_id, campaign_id) REFERENCES ${schema}.campaigns (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, customer_id) REFERENCES ${schema}.customers (organization_id, id)
    ON DELETE SET NULL (customer_id),
  CHECK (phone IS NULL OR user_id IS NULL),
  CHECK ((status = 'skipped') = (skip_reason IS NOT NULL)),
  CHECK (status = 'skipped' OR phone IS NOT NULL OR user_id IS NOT NULL)
);
ALTER TABLE ${schema}.campaign_recipients ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_recipients_tenant ON ${schema}.campaign_recipients
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT, DELETE ON ${schema}.campaign_recipients TO ${runtime_role};
GRANT UPDATE (customer_id, status, skip_reason) ON ${schema}.campaign_recipients TO ${runtime_role};
