-- Contacts, conversations and messages, under the foundation's rules: organization_id in the
-- primary key and every unique index, composite foreign keys, RLS with the one-equality policy,
-- the runtime role granted only what it uses.
--
-- A WhatsApp user's identity can change: a new phone number (system message user_changed_number,
-- which also gives the user a new business-scoped id) or a new business-scoped id alone
-- (user_changed_user_id). The contact row keeps its id, so its conversation and customer stay; the
-- id it had before is kept in previous_bsuid, so a message the user sent before the change and
-- WhatsApp delivers after it still lands in the same conversation. A previous phone is never
-- matched: phone numbers are given to other people again, business-scoped ids are not.

-- A WhatsApp user as one profile sees them: Meta's business-scoped user id (BSUID, user_id) and/or
-- the phone (wa_id as E.164); a username-only user has no phone. Matched to a customer when there
-- is room for one (a customer limit never drops a message).
CREATE TABLE ${schema}.whatsapp_contacts (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  profile_id       uuid NOT NULL,
  bsuid            text CHECK (bsuid ~ '^[A-Z]{2}\.[A-Za-z0-9.]{1,140}$'),
  wa_phone         text CHECK (wa_phone ~ '^\+[1-9][0-9]{6,14}$'),
  username         text CHECK (length(username) BETWEEN 1 AND 100),
  display_name     text CHECK (length(display_name) <= 255),
  customer_id      uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  -- The BSUID the user had before a change, so a message written before it and delivered after
  -- still finds this contact. A previous phone is never matched: numbers are given to others again.
  previous_bsuid   text CHECK (previous_bsuid ~ '^[A-Z]{2}\.[A-Za-z0-9.]{1,140}$'),
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, profile_id) REFERENCES ${schema}.whatsapp_profiles (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, customer_id) REFERENCES ${schema}.customers (organization_id, id)
    ON DELETE SET NULL (customer_id),
  CHECK (bsuid IS NOT NULL OR wa_phone IS NOT NULL)
);
CREATE UNIQUE INDEX whatsapp_contacts_bsuid_key ON ${schema}.whatsapp_contacts (organization_id, profile_id, bsuid)
  WHERE bsuid IS NOT NULL;
CREATE UNIQUE INDEX whatsapp_contacts_phone_key ON ${schema}.whatsapp_contacts (organization_id, profile_id, wa_phone)
  WHERE wa_phone IS NOT NULL;
CREATE INDEX whatsapp_contacts_previous_bsuid_idx
  ON ${schema}.whatsapp_contacts (organization_id, profile_id, previous_bsuid) WHERE previous_bsuid IS NOT NULL;
CREATE INDEX whatsapp_contacts_customer_idx ON ${schema}.whatsapp_contacts (organization_id, customer_id)
  WHERE customer_id IS NOT NULL;
CREATE TRIGGER whatsapp_contacts_touch_updated_at BEFORE UPDATE ON ${schema}.whatsapp_contacts
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();
ALTER TABLE ${schema}.whatsapp_contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_contacts_tenant ON ${schema}.whatsapp_contacts
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.whatsapp_contacts TO ${runtime_role};
GRANT UPDATE (bsuid, wa_phone, username, display_name, customer_id, previous_bsuid)
  ON ${schema}.whatsapp_contacts TO ${runtime_role};

-- One conversation per tenant, profile and contact. last_inbound_at opens the 24-hour window for
-- free-form replies; event_seq numbers the conversation's outbox events under its row lock.
CREATE TABLE ${schema}.conversations (
  organization_id       uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                    uuid NOT NULL DEFAULT gen_random_uuid(),
  profile_id            uuid NOT NULL,
  contact_id            uuid NOT NULL,
  customer_id           uuid,
  assigned_to           uuid,
  status                text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  tags                  text[] NOT NULL DEFAULT '{}' CHECK (array_position(tags, NULL) IS NULL),
  notes                 text,
  unread_count          integer NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
  last_message_at       timestamptz,
  last_message_preview  text CHECK (length(last_message_preview) <= 200),
  last_inbound_at       timestamptz,
  event_seq             bigint NOT NULL DEFAULT 0 CHECK (event_seq >= 0),
  -- NOT NULL sort key for the inbox's keyset (newest activity first): last_message_at, else created_at.
  activity_at           timestamptz NOT NULL DEFAULT now(),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, profile_id) REFERENCES ${schema}.whatsapp_profiles (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, contact_id) REFERENCES ${schema}.whatsapp_contacts (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, customer_id) REFERENCES ${schema}.customers (organization_id, id)
    ON DELETE SET NULL (customer_id),
  FOREIGN KEY (organization_id, assigned_to) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (assigned_to)
);
CREATE UNIQUE INDEX conversations_contact_key ON ${schema}.conversations (organization_id, profile_id, contact_id);
CREATE INDEX conversations_activity_idx ON ${schema}.conversations (organization_id, activity_at, id);
CREATE INDEX conversations_customer_idx ON ${schema}.conversations (organization_id, customer_id)
  WHERE customer_id IS NOT NULL;
CREATE INDEX conversations_assigned_idx ON ${schema}.conversations (organization_id, assigned_to, activity_at, id)
  WHERE assigned_to IS NOT NULL;
CREATE TRIGGER conversations_touch_updated_at BEFORE UPDATE ON ${schema}.conversations
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();
ALTER TABLE ${schema}.conversations ENABLE ROW LEVEL SECURITY;
CREATE POLICY conversations_tenant ON ${schema}.conversations
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.conversations TO ${runtime_role};
GRANT UPDATE (customer_id, assigned_to, status, tags, notes, unread_count, last_message_at, last_message_preview,
              last_inbound_at, event_seq, activity_at)
  ON ${schema}.conversations TO ${runtime_role};

-- Messages, both ways. wa_message_id (wamid) is unique per tenant: a redelivered webhook stores a
-- message once. Outbound messages carry their delivery status, which only moves forward
-- (pending → sent → delivered → read; failed, and unknown after a timeout, settled by callbacks).
CREATE TABLE ${schema}.messages (
  organization_id        uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                     uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id        uuid NOT NULL,
  direction              text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  wa_message_id          text CHECK (length(wa_message_id) BETWEEN 1 AND 256),
  message_type           text NOT NULL CHECK (message_type IN ('text', 'image', 'audio', 'video', 'document',
                           'sticker', 'location', 'contacts', 'reaction', 'interactive', 'button', 'template',
                           'system', 'unsupported')),
  body                   text,
  context_wa_message_id  text,
  media_id               text,
  media_mime_type        text,
  media_filename         text,
  media_size             bigint CHECK (media_size >= 0),
  media_storage_key      text,
  payload                jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
  -- pending: committed, not yet handed to WhatsApp; sending: being handed over (a crash here leaves
  -- it unknown, never resent); then sent, delivered, read or failed, or unknown after a timeout.
  status                 text NOT NULL CHECK (status IN ('received', 'pending', 'sending', 'sent', 'delivered',
                           'read', 'failed', 'unknown')),
  status_at              timestamptz,
  error_code             integer,
  error_message          text,
  pricing                jsonb,
  sent_by                uuid,
  provider_timestamp     timestamptz,
  created_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, conversation_id) REFERENCES ${schema}.conversations (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, sent_by) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (sent_by),
  CHECK ((direction = 'inbound') = (status = 'received')),
  CHECK (direction = 'outbound' OR wa_message_id IS NOT NULL)
);
CREATE UNIQUE INDEX messages_wa_message_id_key ON ${schema}.messages (organization_id, wa_message_id)
  WHERE wa_message_id IS NOT NULL;
CREATE INDEX messages_conversation_idx ON ${schema}.messages (organization_id, conversation_id, created_at, id);
ALTER TABLE ${schema}.messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY messages_tenant ON ${schema}.messages
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.messages TO ${runtime_role};
GRANT UPDATE (wa_message_id, status, status_at, error_code, error_message, pricing, media_storage_key)
  ON ${schema}.messages TO ${runtime_role};
