package io.crmkit.whatsapp.internal;

import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.MediaStore;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppSender;
import java.io.IOException;
import java.io.InputStream;
import java.io.FilterInputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fetches inbound media into the host's {@link MediaStore}, outside any transaction. */
final class MediaFetcher {
  private static final Logger log = LoggerFactory.getLogger(MediaFetcher.class);
  /** How long a claim holds: longer than a few fetches take, short enough that a stopped run's claims end. */
  static final java.time.Duration LEASE = java.time.Duration.ofMinutes(10);
  /** How many a run claims at once: the lease must cover their fetches one after another. */
  static final int CHUNK = 5;
  private final WhatsAppRuntime runtime;
  private final WhatsAppGateway gateway;
  private final MediaStore store;

  /** Fetches through the runtime's gateway into {@code store}. */
  MediaFetcher(WhatsAppRuntime runtime, MediaStore store) {
    this.runtime = runtime;
    this.gateway = runtime.gateway;
    this.store = store;
  }

  /** See {@link io.crmkit.whatsapp.WhatsAppJobs#fetchPendingMedia}. */
  int fetchPending(int max) {
    // This run's token: it records only what it still holds, so a run that outlived its lease
    // never overwrites or releases what another run took over.
    UUID claim = UUID.randomUUID();
    int fetched = 0;
    int left = max;
    while (left > 0) {
      // A few at a time, so each claim's lease covers only a few fetches.
      int count = Math.min(left, CHUNK);
      List<MediaMapper.Claimed> pending = TenantWork.crossTenant(runtime.crm,
          tx -> tx.mapper(MediaMapper.class).claim(count, LEASE.toSeconds() + " seconds", claim));
      if (pending.isEmpty()) {
        break;
      }
      left -= pending.size();
      for (MediaMapper.Claimed media : pending) {
        try {
          if (fetch(media, claim)) {
            fetched++;
          }
        } catch (RuntimeException e) {
          // One message's trouble (a store's unchecked error, a key gone) must not stop the others.
          log.warn("media of message {} of organization {} not fetched", media.messageId(), media.organizationId(), e);
          countAttempt(media.organizationId(), media.messageId(), claim);
        }
      }
    }
    return fetched;
  }

  private boolean fetch(MediaMapper.Claimed media, UUID claim) {
    UUID organizationId = media.organizationId();
    UUID messageId = media.messageId();
    TenantScope system = runtime.crm.tenant(organizationId).asSystem("whatsapp-media");
    Optional<WhatsAppSender> sender = runtime.profiles(system).sender(media.profileId());
    String[] key = new String[1];
    AtomicLong size = new AtomicLong();
    WhatsAppGateway.MediaFetch outcome;
    if (sender.isEmpty()) {
      outcome = WhatsAppGateway.MediaFetch.FAILED;
    } else {
      outcome = gateway.fetchMedia(sender.get(), media.mediaId(), (mimeType, content) ->
          key[0] = store.store(organizationId, messageId, mimeType, counting(content, size)));
    }
    WhatsAppGateway.MediaFetch result = outcome == WhatsAppGateway.MediaFetch.FETCHED && key[0] == null
        ? WhatsAppGateway.MediaFetch.FAILED : outcome;
    boolean fetched = result == WhatsAppGateway.MediaFetch.FETCHED;
    boolean recorded = TenantWork.call(system, tx -> {
      boolean stored = tx.mapper(MediaMapper.class).recordFetch(tx.organizationId(), messageId,
          fetched ? key[0] : null, fetched ? size.get() : null,
          result == WhatsAppGateway.MediaFetch.GONE ? "the provider no longer has this media" : null,
          result == WhatsAppGateway.MediaFetch.FAILED, claim) > 0;
      if (stored && fetched && size.get() > 0) {
        // The organization's storage used, which crm-billing records as usage.
        tx.count(TenantTransaction.STORAGE_BYTES, LocalDate.EPOCH, size.get());
      }
      return stored;
    });
    if (!recorded) {
      log.info("media of message {} of organization {}: fetched after this run's claim ended; another run has it",
          messageId, organizationId);
      return false;
    }
    if (result != WhatsAppGateway.MediaFetch.FETCHED) {
      log.info("media of message {} of organization {}: {}", messageId, organizationId, result);
    }
    return result == WhatsAppGateway.MediaFetch.FETCHED;
  }

  private void countAttempt(UUID organizationId, UUID messageId, UUID claim) {
    try {
      TenantWork.call(runtime.crm.tenant(organizationId).asSystem("whatsapp-media"),
          tx -> tx.mapper(MediaMapper.class).countAttempt(tx.organizationId(), messageId, claim));
    } catch (RuntimeException e) {
      log.warn("could not count the failed media fetch of message {}", messageId, e);
    }
  }

  private static InputStream counting(InputStream in, AtomicLong size) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          size.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          size.addAndGet(n);
        }
        return n;
      }
    };
  }
}
