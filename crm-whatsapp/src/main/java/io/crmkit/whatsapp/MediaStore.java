package io.crmkit.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/**
 * Where the bytes of inbound media (images, voice notes, documents, …) go: the host's file system,
 * object storage, … {@link io.crmkit.whatsapp.media.FileSystemMediaStore}
 * ships; the database keeps only the returned key,
 * the type, the file name and the size.
 */
public interface MediaStore {

  /**
   * Stores one message's media and returns the key to open it with. Called again for the same
   * message only if an earlier call did not return (store idempotently: same message, same key).
   */
  String store(UUID organizationId, UUID messageId, String mimeType, InputStream content) throws IOException;

  /** Opens stored media by its key. */
  InputStream open(String key) throws IOException;
}
