package io.crmkit.whatsapp.internal;

import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.whatsapp.MediaStore;
import io.crmkit.whatsapp.WhatsAppJobs;
import java.time.Duration;
import java.util.Objects;

/** {@link WhatsAppJobs}: the stalled replies through {@link ReplySender}, the media through {@link MediaFetcher}. */
final class SqlWhatsAppJobs implements WhatsAppJobs {
  private static final int MAX = 1000;
  /** The longest age asked about: what the database's interval holds, with room to spare. */
  private static final Duration MAX_STALL = Duration.ofDays(3650);
  private final WhatsAppRuntime runtime;

  SqlWhatsAppJobs(WhatsAppRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public int resumeStalledReplies(Duration olderThan, int max) {
    Objects.requireNonNull(olderThan, "olderThan");
    if (olderThan.compareTo(MIN_STALL) < 0 || olderThan.compareTo(MAX_STALL) > 0) {
      throw new ValidationException("olderThan", "must be " + MIN_STALL + " to " + MAX_STALL);
    }
    Inputs.pageSize("max", max, MAX);
    return runtime.replies().resume(olderThan, max);
  }

  @Override
  public int fetchPendingMedia(int max) {
    MediaStore store = runtime.mediaStore.orElseThrow(() -> new IllegalStateException(
        "crm-whatsapp needs a media store to fetch media: WhatsAppModule.builder().mediaStore(…)"));
    Inputs.pageSize("max", max, MAX);
    return new MediaFetcher(runtime, store).fetchPending(max);
  }
}
