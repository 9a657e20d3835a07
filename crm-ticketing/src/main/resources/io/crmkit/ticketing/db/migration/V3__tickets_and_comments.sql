-- Tickets and their comments. conversation_id has no foreign key here: crm-ticketing runs without
-- crm-whatsapp, and the bridge module crm-ticketing-whatsapp adds the key when both are there.
CREATE TABLE ${schema}.tickets (
  organization_id           uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                        uuid NOT NULL DEFAULT gen_random_uuid(),
  number_period             text NOT NULL,
  number                    bigint NOT NULL CHECK (number > 0),
  ticket_number             text NOT NULL CHECK (length(ticket_number) BETWEEN 1 AND 60),
  customer_id               uuid,
  conversation_id           uuid,
  title                     text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 255),
  title_fold                text NOT NULL DEFAULT '',
  description               text CHECK (length(description) <= 20000),
  type                      text NOT NULL DEFAULT 'support'
                            CHECK (type IN ('support', 'sales_offer', 'follow_up', 'bug', 'feature_request')),
  status                    text NOT NULL DEFAULT 'open'
                            CHECK (status IN ('open', 'in_progress', 'waiting', 'resolved', 'closed')),
  priority                  text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
  assigned_to               uuid,
  created_by                uuid,
  resolved_at               timestamptz,
  closed_at                 timestamptz,
  tags                      text[] NOT NULL DEFAULT '{}' CHECK (array_position(tags, NULL) IS NULL),
  custom_fields             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
  version                   bigint NOT NULL DEFAULT 1 CHECK (version > 0),
  -- SLA: due times from the organization's targets for the priority; the resolution clock runs
  -- from resolution_started_at (creation or the last reopening), stopped while waiting.
  first_response_due_at     timestamptz,
  first_responded_at        timestamptz,
  resolution_started_at     timestamptz NOT NULL DEFAULT now(),
  resolution_due_at         timestamptz,
  resolution_paused_at      timestamptz,
  resolution_paused_seconds bigint NOT NULL DEFAULT 0 CHECK (resolution_paused_seconds >= 0),
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, number_period, number),
  UNIQUE (organization_id, ticket_number),
  FOREIGN KEY (organization_id, customer_id) REFERENCES ${schema}.customers (organization_id, id)
    ON DELETE SET NULL (customer_id),
  FOREIGN KEY (organization_id, assigned_to) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (assigned_to),
  FOREIGN KEY (organization_id, created_by) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (created_by),
  CHECK (status IN ('resolved', 'closed') OR (resolved_at IS NULL AND closed_at IS NULL)),
  CHECK (status <> 'resolved' OR (resolved_at IS NOT NULL AND closed_at IS NULL)),
  CHECK (status <> 'closed' OR closed_at IS NOT NULL),
  CHECK ((status = 'waiting') = (resolution_paused_at IS NOT NULL))
);
CREATE INDEX tickets_created_idx ON ${schema}.tickets (organization_id, created_at, id);
CREATE INDEX tickets_status_idx ON ${schema}.tickets (organization_id, status, created_at, id);
CREATE INDEX tickets_assigned_idx ON ${schema}.tickets (organization_id, assigned_to, created_at, id);
CREATE INDEX tickets_customer_idx ON ${schema}.tickets (organization_id, customer_id, created_at, id)
  WHERE customer_id IS NOT NULL;
CREATE INDEX tickets_conversation_idx ON ${schema}.tickets (organization_id, conversation_id)
  WHERE conversation_id IS NOT NULL;
CREATE INDEX tickets_tags_idx ON ${schema}.tickets USING gin (tags);
CREATE INDEX tickets_title_trgm_idx ON ${schema}.tickets USING gin (title_fold ${trgm_schema}.gin_trgm_ops);
-- The SLA query: open clocks by due time.
CREATE INDEX tickets_first_response_due_idx ON ${schema}.tickets (organization_id, first_response_due_at)
  WHERE first_responded_at IS NULL AND status NOT IN ('resolved', 'closed');
CREATE INDEX tickets_resolution_due_idx ON ${schema}.tickets (organization_id, resolution_due_at)
  WHERE status IN ('open', 'in_progress');

CREATE FUNCTION ${schema}.tickets_set_title_fold() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  NEW.title_fold := coalesce(search_fold(NEW.title), '');
  RETURN NEW;
END
$$;
GRANT EXECUTE ON FUNCTION ${schema}.tickets_set_title_fold() TO ${runtime_role};
CREATE TRIGGER tickets_set_title_fold BEFORE INSERT OR UPDATE OF title ON ${schema}.tickets
  FOR EACH ROW EXECUTE FUNCTION ${schema}.tickets_set_title_fold();
CREATE TRIGGER tickets_touch_updated_at BEFORE UPDATE ON ${schema}.tickets
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();
ALTER TABLE ${schema}.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tickets_tenant ON ${schema}.tickets
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
-- No DELETE: a deleted ticket would leave a gap in the numbers and keep its month's unit.
GRANT SELECT, INSERT ON ${schema}.tickets TO ${runtime_role};
GRANT UPDATE (customer_id, conversation_id, title, description, type, status,
  priority, assigned_to, resolved_at, closed_at, tags, custom_fields, version, first_response_due_at,
  first_responded_at, resolution_started_at, resolution_due_at, resolution_paused_at, resolution_paused_seconds)
  ON ${schema}.tickets TO ${runtime_role};

-- Public replies and internal notes. attachments: [{url, filename, size}].
CREATE TABLE ${schema}.ticket_comments (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  ticket_id        uuid NOT NULL,
  user_id          uuid,
  body             text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 20000),
  is_internal      boolean NOT NULL,
  attachments      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attachments) = 'array'),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  FOREIGN KEY (organization_id, ticket_id) REFERENCES ${schema}.tickets (organization_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organization_id, user_id) REFERENCES ${schema}.users (organization_id, id)
    ON DELETE SET NULL (user_id)
);
CREATE INDEX ticket_comments_ticket_idx ON ${schema}.ticket_comments (organization_id, ticket_id, created_at, id);
CREATE TRIGGER ticket_comments_touch_updated_at BEFORE UPDATE ON ${schema}.ticket_comments
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();
ALTER TABLE ${schema}.ticket_comments ENABLE ROW LEVEL SECURITY;
CREATE POLICY ticket_comments_tenant ON ${schema}.ticket_comments
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.ticket_comments TO ${runtime_role};

