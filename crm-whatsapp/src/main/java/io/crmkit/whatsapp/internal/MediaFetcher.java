package io.crmkit.whatsapp.internal;

import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.MediaStore;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppSender;
import java.io.IOException;
import java.io.InputStream;
import java.io.FilterInputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
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
      List<Object[]> pending = claim(claim, Math.min(left, CHUNK));
      if (pending.isEmpty()) {
        break;
      }
      left -= pending.size();
      for (Object[] row : pending) {
        try {
          if (fetch((UUID) row[0], (UUID) row[1], (UUID) row[2], (String) row[3], claim)) {
            fetched++;
          }
        } catch (RuntimeException e) {
          // One message's trouble (a store's unchecked error, a key gone) must not stop the others.
          log.warn("media of message {} of organization {} not fetched", row[1], row[0], e);
          countAttempt((UUID) row[0], (UUID) row[1], claim);
        }
      }
    }
    return fetched;
  }

  /** Claims a few at a time, so each claim's lease covers only a few fetches. */
  private List<Object[]> claim(UUID claim, int count) {
    return TenantWork.crossTenant(runtime.crm, tx -> {
      List<Object[]> rows = new ArrayList<>();
      try (PreparedStatement ps = tx.connection().prepareStatement("select organization_id, message_id, profile_id,"
          + " media_id from " + tx.table("claim_whatsapp_media") + "(?, ?::interval, ?)")) {
        ps.setInt(1, count);
        ps.setString(2, LEASE.toSeconds() + " seconds");
        ps.setObject(3, claim);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4)});
          }
        }
      }
      return rows;
    });
  }

  private boolean fetch(UUID organizationId, UUID messageId, UUID profileId, String mediaId, UUID claim) {
    TenantScope system = runtime.crm.tenant(organizationId).asSystem("whatsapp-media");
    Optional<WhatsAppSender> sender = runtime.profiles(system).sender(profileId);
    String[] key = new String[1];
    AtomicLong size = new AtomicLong();
    WhatsAppGateway.MediaFetch outcome;
    if (sender.isEmpty()) {
      outcome = WhatsAppGateway.MediaFetch.FAILED;
    } else {
      outcome = gateway.fetchMedia(sender.get(), mediaId, (mimeType, content) ->
          key[0] = store.store(organizationId, messageId, mimeType, counting(content, size)));
    }
    WhatsAppGateway.MediaFetch result = outcome == WhatsAppGateway.MediaFetch.FETCHED && key[0] == null
        ? WhatsAppGateway.MediaFetch.FAILED : outcome;
    boolean recorded = TenantWork.call(system, tx -> {
      // A failed fetch keeps a claim without a run until its backoff ends: no run, this one
      // included, tries it again at once.
      try (PreparedStatement ps = tx.connection().prepareStatement("update " + tx.table("messages")
          + " set media_storage_key = ?, media_size = coalesce(?, media_size), media_fetch_attempts = media_fetch_attempts + 1,"
          + " media_fetch_error = ?, media_fetch_claim = null, media_fetch_claimed_until = case when ? then"
          + " clock_timestamp() + least(interval '30 seconds' * power(2, media_fetch_attempts), interval '1 hour') end"
          + " where organization_id = ? and id = ? and media_storage_key is null and media_fetch_claim = ?")) {
        ps.setString(1, result == WhatsAppGateway.MediaFetch.FETCHED ? key[0] : null);
        ps.setObject(2, result == WhatsAppGateway.MediaFetch.FETCHED ? size.get() : null, java.sql.Types.BIGINT);
        ps.setString(3, result == WhatsAppGateway.MediaFetch.GONE ? "the provider no longer has this media" : null);
        ps.setBoolean(4, result == WhatsAppGateway.MediaFetch.FAILED);
        ps.setObject(5, tx.organizationId());
        ps.setObject(6, messageId);
        ps.setObject(7, claim);
        return ps.executeUpdate() > 0;
      }
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
      TenantWork.call(runtime.crm.tenant(organizationId).asSystem("whatsapp-media"), tx -> {
        try (PreparedStatement ps = tx.connection().prepareStatement("update " + tx.table("messages")
            + " set media_fetch_attempts = media_fetch_attempts + 1, media_fetch_claim = null,"
            + " media_fetch_claimed_until = clock_timestamp() + least(interval '30 seconds' * power(2, media_fetch_attempts),"
            + " interval '1 hour') where organization_id = ? and id = ? and media_fetch_claim = ?")) {
          ps.setObject(1, tx.organizationId());
          ps.setObject(2, messageId);
          ps.setObject(3, claim);
          ps.executeUpdate();
        }
        return null;
      });
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
