-- Media fetch runs claim what they fetch: two runs at once (two hosts, or a run outlasting its
-- schedule) never fetch the same media twice. The claim is a lease, so media a stopped run had
-- claimed is fetched by another once the lease ends; recording the outcome ends it at once.
ALTER TABLE ${schema}.messages ADD COLUMN media_fetch_claimed_until timestamptz;
GRANT UPDATE (media_fetch_claimed_until) ON ${schema}.messages TO ${runtime_role};

DROP FUNCTION ${schema}.whatsapp_media_to_fetch(integer);

-- Across tenants and only outside any tenant: claims up to p_limit inbound messages whose media is
-- still to fetch, oldest first, for p_lease (at least a minute), skipping those another run holds,
-- and returns their ids with the profile they came in on. The fetch and its record happen in each
-- tenant's own transaction.
CREATE FUNCTION ${schema}.claim_whatsapp_media(p_limit integer, p_lease interval)
  RETURNS TABLE (organization_id uuid, message_id uuid, profile_id uuid, media_id text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
BEGIN
  IF current_organization_id() IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'claim_whatsapp_media runs outside any tenant';
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
       SET media_fetch_claimed_until = clock_timestamp() + greatest(p_lease, interval '1 minute')
      FROM picked p, conversations c
     WHERE m.organization_id = p.organization_id AND m.id = p.id
       AND c.organization_id = m.organization_id AND c.id = m.conversation_id
    RETURNING m.organization_id, m.id, c.profile_id, m.media_id;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.claim_whatsapp_media(integer, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.claim_whatsapp_media(integer, interval) TO ${runtime_role};

-- Statuses kept for a send not yet recorded wait seconds in practice; those for wamids no send of
-- ours will record (another tool sending from the same number) are purged after a day, by the
-- tenant's own webhook transaction, along this index.
CREATE INDEX whatsapp_early_statuses_received_idx
  ON ${schema}.whatsapp_early_statuses (organization_id, received_at);
