-- A WhatsApp user's identity can change: a new phone number (system message user_changed_number,
-- which also gives the user a new business-scoped id) or a new business-scoped id alone
-- (user_changed_user_id). The contact row keeps its id, so its conversation and customer stay; the
-- id it had before is kept in previous_bsuid, so a message the user sent before the change and
-- WhatsApp delivers after it still lands in the same conversation. A previous phone is never
-- matched: phone numbers are given to other people again, business-scoped ids are not.
ALTER TABLE ${schema}.whatsapp_contacts
  ADD COLUMN previous_bsuid text CHECK (previous_bsuid ~ '^[A-Z]{2}\.[A-Za-z0-9.]{1,140}$');
CREATE INDEX whatsapp_contacts_previous_bsuid_idx
  ON ${schema}.whatsapp_contacts (organization_id, profile_id, previous_bsuid) WHERE previous_bsuid IS NOT NULL;
GRANT UPDATE (previous_bsuid) ON ${schema}.whatsapp_contacts TO ${runtime_role};

-- Workflows hear of it: contact_changed carries the old and new phone and business-scoped id.
ALTER TABLE ${schema}.whatsapp_events DROP CONSTRAINT whatsapp_events_event_type_check;
ALTER TABLE ${schema}.whatsapp_events ADD CONSTRAINT whatsapp_events_event_type_check
  CHECK (event_type IN ('message_received', 'message_status', 'conversation_assigned', 'customer_limit_reached',
                        'contact_changed'));
