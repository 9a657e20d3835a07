-- A number's webhooks reach a tenant only while that tenant's current access token is proven to
-- use the number. verified_at is that proof, and nothing else stands for it:
--   * stamped afresh (clock_timestamp(), so two proofs never share a stamp) by every proof, each
--     made after WhatsApp answered that the token can use the number: a new profile with a
--     session, replaceSession on an active profile, reactivate;
--   * cleared by deactivation, by WhatsApp refusing the token on a send, and by a lost contest
--     (another tenant proved the number while this profile's token could no longer use it).
-- Before, verified_at was stamped once and never cleared: a tenant that had lost its number at
-- Meta kept it routed for ever, and one that had deactivated could take it back unchecked.

-- Why a profile lost its proof, for its admins; cleared by the next proof.
ALTER TABLE ${schema}.whatsapp_profiles
  ADD COLUMN disconnect_reason text
    CHECK (disconnect_reason IN ('deactivated', 'session_refused', 'number_proven_elsewhere'));

-- Stale proofs of profiles that cannot be routed go: an inactive profile proves itself again when
-- reactivated, and a proof needs a session to stand on.
UPDATE ${schema}.whatsapp_profiles SET verified_at = NULL, disconnect_reason = 'deactivated'
 WHERE verified_at IS NOT NULL AND NOT is_active;
UPDATE ${schema}.whatsapp_profiles SET verified_at = NULL, status = 'disconnected'
 WHERE verified_at IS NOT NULL AND session_key_id IS NULL;
-- A send refused for authentication only marked the profile disconnected, leaving its route.
UPDATE ${schema}.whatsapp_profiles SET verified_at = NULL, disconnect_reason = 'session_refused'
 WHERE verified_at IS NOT NULL AND status <> 'connected';
ALTER TABLE ${schema}.whatsapp_profiles
  ADD CONSTRAINT whatsapp_profiles_proof_check
    CHECK (verified_at IS NULL OR (is_active AND session_key_id IS NOT NULL));

-- Each route carries the proof it stands on, so a route is released only as it was when its
-- holder's token was checked, never after the holder proved itself again.
ALTER TABLE ${schema}.whatsapp_routes ADD COLUMN proven_at timestamptz;
UPDATE ${schema}.whatsapp_routes r SET proven_at = p.verified_at
  FROM ${schema}.whatsapp_profiles p WHERE p.organization_id = r.organization_id AND p.id = r.profile_id;
DELETE FROM ${schema}.whatsapp_routes WHERE proven_at IS NULL;
ALTER TABLE ${schema}.whatsapp_routes ALTER COLUMN proven_at SET NOT NULL;

-- Keeps whatsapp_routes in step with the profiles: a proven, active profile has its route, stamped
-- with its latest proof; any other none. A number another profile routes is refused with
-- SQLSTATE CKW01, which names neither organization; CRMKit raises it only after the caller proved
-- the number with its own token, and then checks the holder's token again (see
-- release_whatsapp_route).
CREATE OR REPLACE FUNCTION ${schema}.whatsapp_profiles_sync_route() RETURNS trigger
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

GRANT UPDATE (disconnect_reason) ON ${schema}.whatsapp_profiles TO ${runtime_role};
