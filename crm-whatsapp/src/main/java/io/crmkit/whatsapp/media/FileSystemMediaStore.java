package io.crmkit.whatsapp.media;

import io.crmkit.whatsapp.MediaStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@link MediaStore} on a directory: one file per message, {@code <organization>/<message>},
 * written to a temporary file first and moved into place, so a reader never sees half a file.
 * Thread-safe.
 */
public final class FileSystemMediaStore implements MediaStore {
  private final Path root;

  /** Media under {@code root}, created if missing. */
  public FileSystemMediaStore(Path root) throws IOException {
    this.root = Files.createDirectories(Objects.requireNonNull(root, "root")).toRealPath();
  }

  @Override
  public String store(UUID organizationId, UUID messageId, String mimeType, InputStream content) throws IOException {
    Objects.requireNonNull(content, "content");
    String key = organizationId + "/" + messageId;
    Path target = resolve(key);
    Files.createDirectories(target.getParent());
    Path temporary = Files.createTempFile(target.getParent(), messageId.toString(), ".part");
    try {
      Files.copy(content, temporary, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
    return key;
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Files.newInputStream(resolve(key));
  }

  private Path resolve(String key) {
    if (key == null || !key.matches("[0-9a-f-]{36}/[0-9a-f-]{36}")) {
      throw new IllegalArgumentException("not a key this store returned: " + key);
    }
    return root.resolve(key);
  }
}
