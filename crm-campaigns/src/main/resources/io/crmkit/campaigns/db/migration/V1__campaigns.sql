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
  -- Why a running campaign waits (a daily limit reached), until next_send_at.
  wait_reason          text CHECK (length(wait_reason) BETWEEN 1 AND 500),
  total_recipients     integer NOT NULL DEFAULT 0 CHECK (total_recipients >= 0),
  skipped_count        integer NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
  sent_count           integer NOT NULL DEFAULT 0 CHECK (sent_count >= 0),
  failed_count         integer NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
  unknown_count        integer NOT NULL DEFAULT 0 CHECK (unknown_count >= 0),
  delivered_count      integer NOT NULL DEFAULT 0 CHECK (delivered_count >= 0),
  read_count           integer NOT NULL DEFAULT 0 CHECK (read_count >= 0),
  replied_count        integer NOT NULL DEFAULT 0 CHECK (replied_count >= 0),
  -- Sends refused one after another, for the pause at too many in a row.
  failures_in_a_row    integer NOT NULL DEFAULT 0 CHECK (failures_in_a_row >= 0),
  current_index        integer NOT NULL DEFAULT 0 CHECK (current_index >= 0),
  delay_min_ms         integer NOT NULL DEFAULT 2000 CHECK (delay_min_ms BETWEEN 0 AND 3600000),
  delay_max_ms         integer NOT NULL DEFAULT 5000 CHECK (delay_max_ms BETWEEN 0 AND 3600000),
  -- If set, an unknown send without a status this long is sent once more by itself.
  resend_unknown_after_s integer CHECK (resend_unknown_after_s BETWEEN 60 AND 86400),
  scheduled_at         timestamptz,
  -- A campaign with a pause between sends is due again at this time (the runners' shared pace).
  next_send_at         timestamptz,
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
-- The runners' claim, across tenants: the running campaigns by when they are due.
CREATE INDEX campaigns_running_idx ON ${schema}.campaigns (next_send_at) WHERE status = 'running';
CREATE INDEX campaigns_scheduled_idx ON ${schema}.campaigns (scheduled_at) WHERE status = 'scheduled';
CREATE TRIGGER campaigns_touch_updated_at BEFORE UPDATE ON ${schema}.campaigns
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();
ALTER TABLE ${schema}.campaigns ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaigns_tenant ON ${schema}.campaigns
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT, DELETE ON ${schema}.campaigns TO ${runtime_role};
GRANT UPDATE (name, message_template, template, audience_tags, status, status_reason, wait_reason, total_recipients,
  skipped_count, sent_count, failed_count, unknown_count, delivered_count, read_count, replied_count,
  failures_in_a_row,
  current_index, delay_min_ms, delay_max_ms, scheduled_at,
  next_send_at, started_at, completed_at, updated_at) ON ${schema}.campaigns TO ${runtime_role};

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
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'skipped', 'sending', 'sent', 'failed', 'unknown')),
  skip_reason      text CHECK (skip_reason IN ('invalid_number', 'no_whatsapp_phone', 'opted_out', 'window_closed')),
  -- The runner's lease (a pending recipient it claimed, or a send in flight), the attempt in
  -- flight (its id travels as the message's callback data), and the outcome of the last one.
  lease_token      uuid,
  lease_until      timestamptz,
  attempt_id       uuid,
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When its outcome became unknown, and how often an unknown was sent again.
  unknown_since    timestamptz,
  resends          integer NOT NULL DEFAULT 0 CHECK (resends >= 0),
  next_attempt_at  timestamptz,
  wa_message_id    text CHECK (length(wa_message_id) BETWEEN 1 AND 256),
  error_code       integer,
  error_message    text CHECK (length(error_message) BETWEEN 1 AND 1000),
  sent_at          timestamptz,
  -- From the message's status callbacks.
  delivered_at     timestamptz,
  read_at          timestamptz,
  -- The user's first message after the send (within three days).
  replied_at       timestamptz,
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
  CHECK (status = 'skipped' OR phone IS NOT NULL OR user_id IS NOT NULL),
  CHECK (status NOT IN ('sending', 'sent', 'unknown') OR attempt_id IS NOT NULL),
  CHECK ((lease_token IS NULL) = (lease_until IS NULL))
);
-- A campaign's recipients still to send, in order.
CREATE INDEX campaign_recipients_pending_idx ON ${schema}.campaign_recipients (organization_id, campaign_id, position)
  WHERE status = 'pending';
-- Sends in flight, for the sweep of those whose runner lost its lease.
-- A status's send, by the attempt id its callback data carries.
CREATE INDEX campaign_recipients_attempt_idx ON ${schema}.campaign_recipients (organization_id, attempt_id)
  WHERE attempt_id IS NOT NULL;
CREATE INDEX campaign_recipients_sending_idx ON ${schema}.campaign_recipients (lease_until) WHERE status = 'sending';
-- Unknown sends a campaign may send once more after a quiet period.
CREATE INDEX campaign_recipients_unknown_idx ON ${schema}.campaign_recipients (unknown_since)
  WHERE status = 'unknown' AND resends = 0;
-- A user's latest campaign message, for their reply.
CREATE INDEX campaign_recipients_sent_idx ON ${schema}.campaign_recipients (organization_id, phone, sent_at DESC)
  WHERE status = 'sent';
ALTER TABLE ${schema}.campaign_recipients ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_recipients_tenant ON ${schema}.campaign_recipients
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT, DELETE ON ${schema}.campaign_recipients TO ${runtime_role};
GRANT UPDATE (customer_id, status, skip_reason, lease_token, lease_until, attempt_id, attempts, next_attempt_at,
  wa_message_id, error_code, error_message, sent_at, delivered_at, read_at, replied_at, unknown_since, resends)
  ON ${schema}.campaign_recipients
  TO ${runtime_role};

-- Who asked for no more campaigns, by WhatsApp identity, and who asked for them again: the latest
-- word of each identity, with its time and source (an opt-out word they wrote, or WhatsApp refusing
-- a send with 131050). Checked when recipients are added and again before each send.
CREATE TABLE ${schema}.campaign_opt_outs (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  phone            text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  user_id          text CHECK (length(user_id) BETWEEN 1 AND 256),
  customer_id      uuid,
  opted_out        boolean NOT NULL,
  source           text NOT NULL CHECK (source IN ('keyword', 'send_refused', 'user_preferences')),
  changed_at       timestamptz NOT NULL,
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, phone),
  UNIQUE (organization_id, user_id),
  FOREIGN KEY (organization_id, customer_id) REFERENCES ${schema}.customers (organization_id, id)
    ON DELETE SET NULL (customer_id),
  CHECK ((phone IS NULL) <> (user_id IS NULL))
);
ALTER TABLE ${schema}.campaign_opt_outs ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_opt_outs_tenant ON ${schema}.campaign_opt_outs
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.campaign_opt_outs TO ${runtime_role};
GRANT UPDATE (customer_id, opted_out, source, changed_at) ON ${schema}.campaign_opt_outs TO ${runtime_role};

-- An organization's own opt-out and opt-in words; none: the defaults (CampaignService.OptOutWords).
CREATE TABLE ${schema}.campaign_settings (
  organization_id  uuid PRIMARY KEY REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  opt_out_words    text[] NOT NULL CHECK (array_position(opt_out_words, NULL) IS NULL),
  opt_in_words     text[] NOT NULL CHECK (array_position(opt_in_words, NULL) IS NULL),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE ${schema}.campaign_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_settings_tenant ON ${schema}.campaign_settings
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.campaign_settings TO ${runtime_role};
GRANT UPDATE (opt_out_words, opt_in_words, updated_at) ON ${schema}.campaign_settings TO ${runtime_role};

-- What a send records: one row per attempt, in the attempt's transaction (the seed's
-- campaign_results, keyed by the tenant and tied to its recipient).
CREATE TABLE ${schema}.campaign_results (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id      uuid NOT NULL,
  recipient_id     uuid NOT NULL,
  attempt_id       uuid NOT NULL,
  status           text NOT NULL CHECK (status IN ('sent', 'failed', 'unknown')),
  wa_message_id    text CHECK (length(wa_message_id) BETWEEN 1 AND 256),
  error_code       integer,
  error_message    text CHECK (length(error_message) BETWEEN 1 AND 1000),
  sent_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, attempt_id),
  FOREIGN KEY (organization_id, campaign_id) REFERENCES ${schema}.campaigns (organization_id, id)
    ON DELETE CASCADE,
  FOREIGN KEY (organization_id, recipient_id) REFERENCES ${schema}.campaign_recipients (organization_id, id)
    ON DELETE CASCADE,
  CHECK (status <> 'sent' OR wa_message_id IS NOT NULL)
);
CREATE INDEX campaign_results_campaign_idx ON ${schema}.campaign_results (organization_id, campaign_id, sent_at);
ALTER TABLE ${schema}.campaign_results ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_results_tenant ON ${schema}.campaign_results
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.campaign_results TO ${runtime_role};

-- How fast and how much one WhatsApp profile may send, shared by every runner (the issue's
-- per-profile limits): its rate (80 messages a second by default; up to 1,000 for upgraded
-- numbers, 20 for numbers shared with the WhatsApp Business app), the unique users it may reach in
-- the organization's day (copied by the host from Meta; none: no limit), and the runners' shared
-- pace: the time of the next free send slot, and the back-off after WhatsApp's rate limit (130429).
-- A row appears with the first claim for the profile, or when a tenant sets its limits.
CREATE TABLE ${schema}.campaign_profile_limits (
  organization_id      uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  profile_id           uuid NOT NULL,
  messages_per_second  integer NOT NULL DEFAULT 80 CHECK (messages_per_second BETWEEN 1 AND 1000),
  daily_users          integer CHECK (daily_users >= 1),
  next_slot_at         timestamptz,
  backoff_until        timestamptz,
  backoff_seconds      integer NOT NULL DEFAULT 0 CHECK (backoff_seconds BETWEEN 0 AND 3600),
  PRIMARY KEY (organization_id, profile_id),
  FOREIGN KEY (organization_id, profile_id) REFERENCES ${schema}.whatsapp_profiles (organization_id, id)
    ON DELETE CASCADE
);
ALTER TABLE ${schema}.campaign_profile_limits ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_profile_limits_tenant ON ${schema}.campaign_profile_limits
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.campaign_profile_limits TO ${runtime_role};
GRANT UPDATE (messages_per_second, daily_users, backoff_until, backoff_seconds)
  ON ${schema}.campaign_profile_limits TO ${runtime_role};

-- The unique users a profile's campaigns reached per day of the organization, for its daily limit
-- (a recipient counts when its first attempt goes out).
CREATE TABLE ${schema}.campaign_daily_users (
  organization_id  uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  profile_id       uuid NOT NULL,
  day              date NOT NULL,
  users            integer NOT NULL CHECK (users >= 0),
  PRIMARY KEY (organization_id, profile_id, day),
  FOREIGN KEY (organization_id, profile_id) REFERENCES ${schema}.whatsapp_profiles (organization_id, id)
    ON DELETE CASCADE
);
ALTER TABLE ${schema}.campaign_daily_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_daily_users_tenant ON ${schema}.campaign_daily_users
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.campaign_daily_users TO ${runtime_role};
GRANT UPDATE (users) ON ${schema}.campaign_daily_users TO ${runtime_role};

-- The runners' first path across tenants, in a transaction of its own before each claim (so a
-- claim locks pace rows first and campaign rows after, as nothing else does the other way round).
-- Called outside any tenant, as the runtime role, with the runner's clock (p_now): turns the sends
-- whose runner lost its lease into 'unknown' (never sent again by themselves, but for a campaign
-- that allows one more try after its quiet period), and completes running campaigns with nothing
-- left, returning their ids.
CREATE FUNCTION ${schema}.sweep_campaign_recipients(p_now timestamptz)
  RETURNS TABLE (organization_id uuid, campaign_id uuid)
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  v_item record;
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION 'sweep_campaign_recipients runs outside any tenant' USING ERRCODE = '42501';
  END IF;
  IF p_now IS NULL THEN
    RAISE EXCEPTION 'sweep_campaign_recipients: a time' USING ERRCODE = '22023';
  END IF;
  -- (A status of the attempt that came meanwhile left its wamid, and a failure's code: then it is
  -- known after all.)
  WITH lost AS (
    UPDATE campaign_recipients r
       SET status = CASE WHEN r.wa_message_id IS NULL THEN 'unknown'
                         WHEN r.error_code IS NOT NULL THEN 'failed' ELSE 'sent' END,
           unknown_since = CASE WHEN r.wa_message_id IS NULL THEN p_now END,
           sent_at = CASE WHEN r.wa_message_id IS NOT NULL AND r.error_code IS NULL THEN p_now END,
           lease_token = NULL, lease_until = NULL
     WHERE r.status = 'sending' AND r.lease_until < p_now
    RETURNING r.organization_id, r.campaign_id, r.status
  ), counted AS (
    SELECT l.organization_id, l.campaign_id, count(*) AS n,
           count(*) FILTER (WHERE l.status = 'sent') AS sent, count(*) FILTER (WHERE l.status = 'failed') AS failed,
           count(*) FILTER (WHERE l.status = 'unknown') AS unknown
      FROM lost l GROUP BY 1, 2
  )
  UPDATE campaigns c
     SET unknown_count = c.unknown_count + counted.unknown, sent_count = c.sent_count + counted.sent,
         failed_count = c.failed_count + counted.failed, current_index = c.current_index + counted.n
    FROM counted WHERE c.organization_id = counted.organization_id AND c.id = counted.campaign_id;

  -- Unknowns of running campaigns that allow it, quiet for their period, are sent once more.
  WITH again AS (
    UPDATE campaign_recipients r
       SET status = 'pending', resends = r.resends + 1, unknown_since = NULL, next_attempt_at = NULL
      FROM campaigns c
     WHERE r.status = 'unknown' AND r.resends = 0 AND r.wa_message_id IS NULL
       AND c.organization_id = r.organization_id AND c.id = r.campaign_id AND c.status = 'running'
       AND r.unknown_since <= p_now - make_interval(secs => c.resend_unknown_after_s)
    RETURNING r.organization_id, r.campaign_id
  ), counted AS (
    SELECT again.organization_id, again.campaign_id, count(*) AS n FROM again GROUP BY 1, 2
  )
  UPDATE campaigns c
     SET unknown_count = c.unknown_count - counted.n, current_index = c.current_index - counted.n
    FROM counted WHERE c.organization_id = counted.organization_id AND c.id = counted.campaign_id;

  -- Running campaigns with nothing left in flight, to send or to send again are complete: each
  -- returned, for the runner to tell.
  FOR v_item IN
    UPDATE campaigns c SET status = 'completed', completed_at = p_now, wait_reason = NULL
     WHERE c.status = 'running'
       AND NOT EXISTS (SELECT 1 FROM campaign_recipients r
                        WHERE r.organization_id = c.organization_id AND r.campaign_id = c.id
                          AND (r.status IN ('pending', 'sending')
                               OR (c.resend_unknown_after_s IS NOT NULL AND r.status = 'unknown'
                                   AND r.resends = 0 AND r.wa_message_id IS NULL)))
    RETURNING c.organization_id AS org, c.id AS campaign
  LOOP
    organization_id := v_item.org;
    campaign_id := v_item.campaign;
    RETURN NEXT;
  END LOOP;

END
$$;
REVOKE ALL ON FUNCTION ${schema}.sweep_campaign_recipients(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.sweep_campaign_recipients(timestamptz) TO ${runtime_role};

-- The runners' claim across tenants. Called outside any tenant, as the runtime role, with the
-- runner's clock (p_now): leases up to p_max due recipients of running campaigns to p_lease for
-- p_lease_seconds, skipping rows another runner holds, and returns each with its organization and
-- its send slot. Each profile's slots come from its shared pace, one every 1/rate seconds, at most
-- a second ahead (after a 130429 back-off, from its end); a runner sends each recipient no earlier
-- than its slot. Profiles due at once share p_max. A campaign with a pause between sends gives one
-- recipient per call and is due again after a random pause in its range. Reveals ids only.
CREATE FUNCTION ${schema}.claim_campaign_recipients(p_lease uuid, p_lease_seconds integer, p_max integer,
    p_now timestamptz)
  RETURNS TABLE (organization_id uuid, campaign_id uuid, recipient_id uuid, send_at timestamptz)
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  v_orgs uuid[];
  v_profiles uuid[];
  v_i integer;
  v_share integer;
  v_item record;
  v_left integer := p_max;
  v_base timestamptz;
  v_rate integer;
  v_budget integer;
  v_taken integer;
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION 'claim_campaign_recipients runs outside any tenant' USING ERRCODE = '42501';
  END IF;
  IF p_lease IS NULL OR p_now IS NULL OR p_lease_seconds NOT BETWEEN 5 AND 3600 OR p_max NOT BETWEEN 1 AND 1000 THEN
    RAISE EXCEPTION 'claim_campaign_recipients: a lease, 5 to 3600 seconds, 1 to 1000 recipients, a time'
      USING ERRCODE = '22023';
  END IF;
  -- The profiles with something due, in one order: claims lock their pace rows in it and only then
  -- campaign rows, as tenant transactions do too, so runners wait on each other but never deadlock.
  -- Each profile gets its share of p_max, so no tenant crowds out the others.
  SELECT coalesce(array_agg(due.org ORDER BY due.org, due.profile), '{}'),
         coalesce(array_agg(due.profile ORDER BY due.org, due.profile), '{}')
    INTO v_orgs, v_profiles
    FROM (SELECT DISTINCT c.organization_id AS org, c.whatsapp_profile_id AS profile
            FROM campaigns c
           WHERE c.status = 'running' AND (c.next_send_at IS NULL OR c.next_send_at <= p_now)
             AND EXISTS (SELECT 1 FROM campaign_recipients r
                          WHERE r.organization_id = c.organization_id AND r.campaign_id = c.id
                            AND r.status = 'pending' AND (r.lease_until IS NULL OR r.lease_until < p_now)
                            AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= p_now))) due;
  v_share := greatest(1, ceil(p_max::numeric / greatest(cardinality(v_orgs), 1)))::integer;
  FOR v_i IN 1 .. cardinality(v_orgs) LOOP
    EXIT WHEN v_left <= 0;
    INSERT INTO campaign_profile_limits AS l (organization_id, profile_id) VALUES (v_orgs[v_i], v_profiles[v_i])
      ON CONFLICT DO NOTHING;
    SELECT greatest(p_now, l.next_slot_at, l.backoff_until), l.messages_per_second INTO v_base, v_rate
      FROM campaign_profile_limits l
     WHERE l.organization_id = v_orgs[v_i] AND l.profile_id = v_profiles[v_i]
       FOR UPDATE;
    -- The slots of the coming second that are still free.
    v_budget := least(v_left, v_share,
                      floor(extract(epoch FROM (p_now + interval '1 second' - v_base)) * v_rate)::integer);
    CONTINUE WHEN v_budget <= 0;
    v_taken := 0;
    FOR v_item IN
      WITH running AS (
        SELECT c.organization_id, c.id, c.delay_max_ms > 0 AS paced
          FROM campaigns c
         WHERE c.organization_id = v_orgs[v_i] AND c.whatsapp_profile_id = v_profiles[v_i]
           AND c.status = 'running' AND (c.next_send_at IS NULL OR c.next_send_at <= p_now)
           AND EXISTS (SELECT 1 FROM campaign_recipients r
                        WHERE r.organization_id = c.organization_id AND r.campaign_id = c.id AND r.status = 'pending'
                          AND (r.lease_until IS NULL OR r.lease_until < p_now)
                          AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= p_now))
         ORDER BY c.next_send_at NULLS FIRST
         LIMIT v_budget
      ), paced AS (
        -- One send per pause: the campaign row decides which runner has this turn (another one
        -- waits for it, then finds the campaign not due). A wait for the next day ends here too.
        UPDATE campaigns c
           SET next_send_at = p_now + make_interval(secs => (c.delay_min_ms
                 + floor(random() * (c.delay_max_ms - c.delay_min_ms + 1))) / 1000.0)
          FROM running
         WHERE running.paced AND c.organization_id = running.organization_id AND c.id = running.id
           AND c.status = 'running' AND (c.next_send_at IS NULL OR c.next_send_at <= p_now)
        RETURNING c.organization_id, c.id
      ), turns AS (
        SELECT running.organization_id, running.id, v_budget AS n, 1 AS rank FROM running WHERE NOT running.paced
        UNION ALL
        SELECT paced.organization_id, paced.id, 1, 0 FROM paced
      ), due AS (
        -- A paced campaign's turn first: its pace moved already, so its one recipient must not be crowded out.
        SELECT r.organization_id, r.id, turns.rank, r.position
          FROM turns
          CROSS JOIN LATERAL (
            SELECT r.organization_id, r.id, r.position
              FROM campaign_recipients r
             WHERE r.organization_id = turns.organization_id AND r.campaign_id = turns.id AND r.status = 'pending'
               AND (r.lease_until IS NULL OR r.lease_until < p_now)
               AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= p_now)
             ORDER BY r.position
             LIMIT turns.n
               FOR UPDATE SKIP LOCKED
          ) r
         ORDER BY turns.rank, r.position
         LIMIT v_budget
      ), leased AS (
        UPDATE campaign_recipients r
           SET lease_token = p_lease, lease_until = p_now + make_interval(secs => p_lease_seconds)
          FROM due
         WHERE r.organization_id = due.organization_id AND r.id = due.id
        RETURNING r.organization_id, r.campaign_id, r.id, due.rank, due.position
      )
      SELECT leased.organization_id AS org, leased.campaign_id AS campaign, leased.id AS recipient
        FROM leased ORDER BY leased.rank, leased.position
    LOOP
      organization_id := v_item.org;
      campaign_id := v_item.campaign;
      recipient_id := v_item.recipient;
      send_at := v_base + make_interval(secs => v_taken::double precision / v_rate);
      v_taken := v_taken + 1;
      RETURN NEXT;
    END LOOP;
    IF v_taken > 0 THEN
      UPDATE campaign_profile_limits l
         SET next_slot_at = v_base + make_interval(secs => v_taken::double precision / v_rate)
       WHERE l.organization_id = v_orgs[v_i] AND l.profile_id = v_profiles[v_i];
      v_left := v_left - v_taken;
    END IF;
  END LOOP;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.claim_campaign_recipients(uuid, integer, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.claim_campaign_recipients(uuid, integer, integer, timestamptz)
  TO ${runtime_role};

-- The runners' other read across tenants: scheduled campaigns whose time (by the runner's clock)
-- has come, oldest first, each then started in its own tenant's transaction (which sees whether
-- another runner did it first). Refuses to run inside a tenant; reveals ids only.
CREATE FUNCTION ${schema}.due_scheduled_campaigns(p_max integer, p_now timestamptz)
  RETURNS TABLE (organization_id uuid, campaign_id uuid)
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION 'due_scheduled_campaigns runs outside any tenant' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
  SELECT c.organization_id, c.id FROM campaigns c
   WHERE c.status = 'scheduled' AND c.scheduled_at <= coalesce(p_now, now())
   ORDER BY c.scheduled_at
   LIMIT least(greatest(p_max, 1), 1000);
END
$$;
REVOKE ALL ON FUNCTION ${schema}.due_scheduled_campaigns(integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.due_scheduled_campaigns(integer, timestamptz) TO ${runtime_role};
