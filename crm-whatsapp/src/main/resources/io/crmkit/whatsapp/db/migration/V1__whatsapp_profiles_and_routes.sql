-- WhatsApp profiles (business phone numbers) and which tenant each number's webhooks reach.
--
-- A number's webhooks reach a tenant only while that tenant's current access token is proven to
-- use the number. verified_at is that proof, and nothing else stands for it:
--   * stamped afresh (clock_timestamp(), so two proofs never share a stamp) by every proof, each
--     made after WhatsApp answered that the token can use the number: a new profile with a
--     session, replaceSession on an active profile, reactivate;
--   * cleared by deactivation, by WhatsApp refusing the token on a send, and by a lost contest
--     (another tenant proved the number while this profile's token could no longer use it).
-- A proof stamped once and kept for ever would let a tenant that lost its number at Meta keep it
-- routed, and one that deactivated take it back unchecked.

-- A WhatsApp Business phone number of an organization on the Cloud API. session_* hold the access
-- token (or another provider's session), encrypted in Java with AES-GCM: the key's id, the random
-- nonce and the ciphertext, all or none. The plaintext is never stored.
CREATE TABLE ${schema}.whatsapp_profiles (
  organization_id     uuid NOT NULL REFERENCES ${schema}.organizations (id) ON DELETE CASCADE,
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  phone_number        text NOT NULL CHECK (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  phone_number_id     text NOT NULL CHECK (phone_number_id ~ '^[0-9]{1,32}$'),
  meta_app_id         text NOT NULL CHECK (meta_app_id ~ '^[0-9]{1,32}$'),
  status              text NOT NULL DEFAULT 'disconnected'
                        CHECK (status IN ('connected', 'disconnected', 'qr_required')),
  is_active           boolean NOT NULL DEFAULT true,
  -- The profile's proof: when WhatsApp answered that its current access token can use
  -- phone_number_id. Only a proven, active profile is routed its number's webhooks (see below).
  verified_at         timestamptz,
  session_key_id      text CHECK (length(session_key_id) BETWEEN 1 AND 100),
  session_nonce       bytea CHECK (length(session_nonce) = 12),
  session_ciphertext  bytea,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  -- Why a profile lost its proof, for its admins; cleared by the next proof.
  disconnect_reason   text CHECK (disconnect_reason IN ('deactivated', 'session_refused', 'number_proven_elsewhere')),
  -- Numbers the profile's own outbox events (profile_disconnected) under its row lock.
  event_seq           bigint NOT NULL DEFAULT 0 CHECK (event_seq >= 0),
  PRIMARY KEY (organization_id, id),
  CHECK ((session_key_id IS NULL) = (session_nonce IS NULL) AND (session_nonce IS NULL) = (session_ciphertext IS NULL)),
  -- A proof needs an active profile with a session to stand on.
  CONSTRAINT whatsapp_profiles_proof_check CHECK (verified_at IS NULL OR (is_active AND session_key_id IS NOT NULL))
);
CREATE UNIQUE INDEX whatsapp_profiles_phone_number_id_key ON ${schema}.whatsapp_profiles (organization_id, phone_number_id);

CREATE TRIGGER whatsapp_profiles_touch_updated_at BEFORE UPDATE ON ${schema}.whatsapp_profiles
  FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ${schema}.touch_updated_at();

ALTER TABLE ${schema}.whatsapp_profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY whatsapp_profiles_tenant ON ${schema}.whatsapp_profiles
  USING (organization_id = (SELECT ${schema}.current_organization_id()))
  WITH CHECK (organization_id = (SELECT ${schema}.current_organization_id()));
GRANT SELECT, INSERT ON ${schema}.whatsapp_profiles TO ${runtime_role};
GRANT UPDATE (name, status, is_active, verified_at, session_key_id, session_nonce, session_ciphertext,
              disconnect_reason, event_seq)
  ON ${schema}.whatsapp_profiles TO ${runtime_role};

-- Webhook routing, across tenants: Meta's payload names a phone_number_id and nothing else, so
-- this table (not a tenant table: no RLS, no grants to the runtime role) maps each active
-- profile's phone_number_id, globally unique, to its organization, profile and Meta app. Only the
-- trigger below writes it, and only route_whatsapp_webhook() reads it.
CREATE TABLE ${schema}.whatsapp_routes (
  phone_number_id  text PRIMARY KEY,
  meta_app_id      text NOT NULL,
  organization_id  uuid NOT NULL,
  profile_id       uuid NOT NULL,
  -- The proof the route stands on (the profile's verified_at): a route is released only as it was
  -- when its holder's token was checked, never after the holder proved itself again.
  proven_at        timestamptz NOT NULL,
  UNIQUE (organization_id, profile_id),
  FOREIGN KEY (organization_id, profile_id) REFERENCES ${schema}.whatsapp_profiles (organization_id, id)
    ON DELETE CASCADE
);
REVOKE ALL ON ${schema}.whatsapp_routes FROM PUBLIC;

-- Keeps whatsapp_routes in step with the profiles: a proven, active profile has its route, stamped
-- with its latest proof; any other none. A number another profile routes is refused with
-- SQLSTATE CKW01, which names neither organization; CRMKit raises it only after the caller proved
-- the number with its own token, and then checks the holder's token again (see
-- release_whatsapp_route).
CREATE FUNCTION ${schema}.whatsapp_profiles_sync_route() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
DECLARE
  routed_before boolean := TG_OP = 'UPDATE' AND OLD.is_active AND OLD.verified_at IS NOT NULL;
  routed_now boolean := NEW.is_active AND NEW.verified_at IS NOT NULL;
BEGIN
  IF routed_before AND NOT routed_now THEN
    DELETE FROM whatsapp_routes WHERE organization_id = NEW.organization_id AND profile_id = NEW.id;
  ELSIF routed_now THEN
    INSERT INTO whatsapp_routes AS r (phone_number_id, meta_app_id, organization_id, profile_id, proven_at)
    VALUES (NEW.phone_number_id, NEW.meta_app_id, NEW.organization_id, NEW.id, NEW.verified_at)
    ON CONFLICT (phone_number_id) DO UPDATE SET proven_at = EXCLUDED.proven_at
      WHERE r.organization_id = EXCLUDED.organization_id AND r.profile_id = EXCLUDED.profile_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'CKW01',
        MESSAGE = format('WhatsApp phone number id %s is routed to another profile', NEW.phone_number_id);
    END IF;
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.whatsapp_profiles_sync_route() FROM PUBLIC;
CREATE TRIGGER whatsapp_profiles_sync_route AFTER INSERT OR UPDATE OF is_active, verified_at ON ${schema}.whatsapp_profiles
  FOR EACH ROW EXECUTE FUNCTION ${schema}.whatsapp_profiles_sync_route();

-- The webhook's only way into a tenant: the organization and profile of a phone_number_id, and
-- only when the Meta app whose secret signed the delivery is the one the profile belongs to (an
-- app never writes into a tenant it does not serve). Reveals two ids, nothing else.
CREATE FUNCTION ${schema}.route_whatsapp_webhook(p_phone_number_id text, p_meta_app_id text)
  RETURNS TABLE (organization_id uuid, profile_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
    SELECT r.organization_id, r.profile_id FROM whatsapp_routes r
     WHERE r.phone_number_id = p_phone_number_id AND r.meta_app_id = p_meta_app_id
  $$;
REVOKE ALL ON FUNCTION ${schema}.route_whatsapp_webhook(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.route_whatsapp_webhook(text, text) TO ${runtime_role};

-- A contest, step one, outside any tenant: who routes a number now, and on which proof. CRMKit
-- asks only after the caller's own token was shown to use the number; it then checks the holder's
-- token in the holder's own transaction.
CREATE FUNCTION ${schema}.whatsapp_route_holder(p_phone_number_id text)
  RETURNS TABLE (organization_id uuid, profile_id uuid, proven_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'whatsapp_route_holder runs outside any tenant';
  END IF;
  RETURN QUERY SELECT r.organization_id, r.profile_id, r.proven_at FROM whatsapp_routes r
                WHERE r.phone_number_id = p_phone_number_id;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.whatsapp_route_holder(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.whatsapp_route_holder(text) TO ${runtime_role};

-- A contest, step two, the route switch, inside the tenant that takes the number and in the same
-- transaction as its proof: removes the route only if it is still exactly the one whose holder's
-- token WhatsApp just refused (same organization, profile and proof), so the proof's own write
-- then routes the number to the taker, atomically. Returns whether it removed the route. The
-- holder's profile is disconnected afterwards, in the holder's own transaction.
CREATE FUNCTION ${schema}.release_whatsapp_route(p_phone_number_id text, p_organization_id uuid, p_profile_id uuid,
    p_proven_at timestamptz)
  RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  IF current_organization_id() IS NULL OR current_organization_id() = p_organization_id THEN
    RAISE EXCEPTION USING ERRCODE = '42501',
      MESSAGE = 'release_whatsapp_route runs inside the tenant that takes the number';
  END IF;
  DELETE FROM whatsapp_routes r
   WHERE r.phone_number_id = p_phone_number_id AND r.organization_id = p_organization_id
     AND r.profile_id = p_profile_id AND r.proven_at = p_proven_at;
  RETURN FOUND;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.release_whatsapp_route(text, uuid, uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.release_whatsapp_route(text, uuid, uuid, timestamptz) TO ${runtime_role};
