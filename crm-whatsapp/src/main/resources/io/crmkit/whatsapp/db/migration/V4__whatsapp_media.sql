-- Inbound media bytes go to the host's MediaStore, fetched from the Cloud API after the webhook's
-- commit by WhatsApp.fetchPendingMedia, a job the host runs: never inside the webhook's
-- transaction. A fetch that fails is tried again by the next run, up to ten times; media the
-- provider no longer has (it keeps it for a limited time) is marked gone.
ALTER TABLE ${schema}.messages
  ADD COLUMN media_fetch_attempts integer NOT NULL DEFAULT 0 CHECK (media_fetch_attempts >= 0),
  ADD COLUMN media_fetch_error text;
GRANT UPDATE (media_size, media_fetch_attempts, media_fetch_error) ON ${schema}.messages TO ${runtime_role};

CREATE INDEX messages_media_to_fetch_idx ON ${schema}.messages (created_at)
  WHERE media_id IS NOT NULL AND media_storage_key IS NULL AND media_fetch_error IS NULL;

-- Across tenants: inbound messages whose media is still to fetch, oldest first, with the profile
-- they came in on. Reveals ids only; the fetch and its record happen in each tenant's transaction.
CREATE FUNCTION ${schema}.whatsapp_media_to_fetch(p_limit integer)
  RETURNS TABLE (organization_id uuid, message_id uuid, profile_id uuid, media_id text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ${schema}, pg_temp
  AS $$
    SELECT m.organization_id, m.id, c.profile_id, m.media_id
      FROM messages m
      JOIN conversations c ON c.organization_id = m.organization_id AND c.id = m.conversation_id
     WHERE m.media_id IS NOT NULL AND m.media_storage_key IS NULL AND m.media_fetch_error IS NULL
       AND m.direction = 'inbound' AND m.media_fetch_attempts < 10
     ORDER BY m.created_at, m.organization_id, m.id
     LIMIT least(greatest(p_limit, 1), 1000)
  $$;
REVOKE ALL ON FUNCTION ${schema}.whatsapp_media_to_fetch(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.whatsapp_media_to_fetch(integer) TO ${runtime_role};
