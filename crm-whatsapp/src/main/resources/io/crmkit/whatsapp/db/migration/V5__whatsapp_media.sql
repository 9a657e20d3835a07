-- Inbound media bytes go to the host's MediaStore, fetched from the Cloud API after the webhook's
-- commit by WhatsAppJobs.fetchPendingMedia, a job the host runs: never inside the webhook's
-- transaction. A fetch that fails is tried again by a later run after a backoff (30 s, doubling, at
-- most an hour; up to ten times); media the provider no longer has (it keeps it for a limited time)
-- is marked gone. Runs claim what they fetch: two runs at once (two hosts, or a run outlasting its
-- schedule) do not fetch the same media. A run claims a few messages at a time, each with the run's
-- token and a lease; it records an outcome only while its own claim stands (the token still there),
-- which ends the claim. Media a stopped run had claimed is fetched by another once the lease ends.
ALTER TABLE ${schema}.messages
  ADD COLUMN media_fetch_attempts integer NOT NULL DEFAULT 0 CHECK (media_fetch_attempts >= 0),
  ADD COLUMN media_fetch_error text,
  ADD COLUMN media_fetch_claim uuid,
  ADD COLUMN media_fetch_claimed_until timestamptz;
GRANT UPDATE (media_size, media_fetch_attempts, media_fetch_error, media_fetch_claim, media_fetch_claimed_until)
  ON ${schema}.messages TO ${runtime_role};

CREATE INDEX messages_media_to_fetch_idx ON ${schema}.messages (created_at)
  WHERE media_id IS NOT NULL AND media_storage_key IS NULL AND media_fetch_error IS NULL;

-- Across tenants and only outside any tenant: claims up to p_limit inbound messages whose media is
-- still to fetch, oldest first, for p_lease (one minute to one hour), under p_claim, skipping those
-- another run holds, and returns their ids with the profile they came in on. The fetch and its
-- record happen in each tenant's own transaction.
CREATE FUNCTION ${schema}.claim_whatsapp_media(p_limit integer, p_lease interval, p_claim uuid)
  RETURNS TABLE (organization_id uuid, message_id uuid, profile_id uuid, media_id text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'claim_whatsapp_media runs outside any tenant';
  END IF;
  IF p_claim IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = 'claim_whatsapp_media needs a claim token';
  END IF;
  RETURN QUERY
    WITH picked AS (
      SELECT m.organization_id, m.id
        FROM messages m
       WHERE m.media_id IS NOT NULL AND m.media_storage_key IS NULL AND m.media_fetch_error IS NULL
         AND m.direction = 'inbound' AND m.media_fetch_attempts < 10
         AND (m.media_fetch_claimed_until IS NULL OR m.media_fetch_claimed_until < clock_timestamp())
       ORDER BY m.created_at, m.organization_id, m.id
       LIMIT least(greatest(p_limit, 1), 1000)
       FOR UPDATE OF m SKIP LOCKED)
    UPDATE messages m
       SET media_fetch_claim = p_claim,
           media_fetch_claimed_until = clock_timestamp()
             + least(greatest(p_lease, interval '1 minute'), interval '1 hour')
      FROM picked p, conversations c
     WHERE m.organization_id = p.organization_id AND m.id = p.id
       AND c.organization_id = m.organization_id AND c.id = m.conversation_id
    RETURNING m.organization_id, m.id, c.profile_id, m.media_id;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.claim_whatsapp_media(integer, interval, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.claim_whatsapp_media(integer, interval, uuid) TO ${runtime_role};

