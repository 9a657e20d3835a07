package io.crmkit.whatsapp;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.whatsapp.cloudapi.CloudApiGateway;
import io.crmkit.whatsapp.internal.Events;
import io.crmkit.whatsapp.internal.NumberRoutes;
import io.crmkit.whatsapp.internal.SessionCipher;
import io.crmkit.whatsapp.internal.SqlWhatsAppInbox;
import io.crmkit.whatsapp.internal.SqlWhatsAppOutbox;
import io.crmkit.whatsapp.internal.SqlWhatsAppProfiles;
import java.util.Objects;

/**
 * crm-whatsapp's entry point, built once beside the {@code Crm}: it holds what the WhatsApp
 * services share (the Crm, the session keys, the gateway), and hands out services for a tenant
 * scope. The module's
 * migrations run with crm-core's ({@code crm.migrate()}), found on the class path.
 *
 * <pre>{@code
 * WhatsApp whatsapp = WhatsApp.builder(crm).sessionKeys(SessionKeys.of("k1", Map.of("k1", key)))
 *     .gateway(CloudApiGateway.builder().build()).build();
 * WhatsAppProfile sales = whatsapp.profiles(acme).create(new WhatsAppProfileDraft("Sales",
 *     "+966501234567", phoneNumberId, metaAppId, Optional.of(accessToken)));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class WhatsApp {
  /** The least age at which a reply counts as left behind (also enforced in the database). */
  public static final java.time.Duration MIN_STALL = java.time.Duration.ofMinutes(2);

  private final Crm crm;
  private final SessionCipher cipher;
  private final WhatsAppGateway gateway;
  private final Events events;
  private final MediaStore mediaStore;
  private final NumberRoutes routes;

  private WhatsApp(Builder builder) {
    this.crm = builder.crm;
    this.cipher = new SessionCipher(builder.sessionKeys);
    this.gateway = builder.gateway;
    this.events = new Events(builder.listeners);
    this.mediaStore = builder.mediaStore;
    this.routes = new NumberRoutes(crm, cipher, gateway, events);
  }

  /**
   * Fetches inbound media still missing from the {@link MediaStore}, across all tenants, from the
   * Cloud API, outside any transaction: a job the host runs every few seconds, from any number of
   * processes. A run claims a few messages at a time for ten minutes, so runs at the same time
   * share the work and do not fetch the same media (only a fetch outliving its claim can be
   * repeated by another run, and then only the run holding the claim records it); what a stopped
   * run had claimed is fetched by another once the claim ends. A failed fetch is tried again by a
   * later run after a backoff (30 s, doubling, at most an hour; up to ten times); media the
   * provider no longer has is marked gone.
   *
   * @return how many were stored by this call
   * @throws IllegalStateException if no media store was configured
   */
  public int fetchPendingMedia(int max) {
    if (mediaStore == null) {
      throw new IllegalStateException("WhatsApp.builder(crm).mediaStore(…) is needed to fetch media");
    }
    if (max < 1 || max > 1000) {
      throw new IllegalArgumentException("max must be 1 to 1000");
    }
    return new io.crmkit.whatsapp.internal.MediaFetcher(this, gateway, mediaStore).fetchPending(max);
  }

  /** How the module writes events and tells listeners; for its own webhook. */
  Events events() {
    return events;
  }

  /**
   * Settles replies a stopped process left behind, across all tenants: those committed but never
   * handed to WhatsApp (older than {@code olderThan}) are sent now; those it stopped while handing
   * over become {@code unknown} (never sent twice). Run it at start and every minute or so;
   * concurrent runs send each reply once. {@code olderThan} is at least {@link #MIN_STALL}, longer
   * than a send can take with the gateway's timeouts and retries; a send that still returns later
   * records its outcome over the unknown.
   *
   * @return how many replies this call sent
   */
  public int resumeStalledReplies(java.time.Duration olderThan, int max) {
    Objects.requireNonNull(olderThan, "olderThan");
    if (olderThan.compareTo(MIN_STALL) < 0 || max < 1 || max > 1000) {
      throw new IllegalArgumentException("olderThan must be at least " + MIN_STALL + " and max 1 to 1000");
    }
    return SqlWhatsAppInbox.resume(this, gateway, events, olderThan, max);
  }

  /** The outbox of WhatsApp events across all tenants, for a host process that drains it. */
  public WhatsAppOutbox outbox() {
    return new SqlWhatsAppOutbox(crm);
  }

  /** Starts configuring the WhatsApp module of {@code crm}. */
  public static Builder builder(Crm crm) {
    return new Builder(Objects.requireNonNull(crm, "crm"));
  }

  /** The Crm this module works in. */
  public Crm crm() {
    return crm;
  }

  /** The organization's inbox, acting as {@code scope}'s actor. */
  public WhatsAppInbox inbox(TenantScope scope) {
    return new SqlWhatsAppInbox(Objects.requireNonNull(scope, "scope"), this, gateway, events);
  }

  /** The organization's WhatsApp profiles, acting as {@code scope}'s actor. */
  public WhatsAppProfiles profiles(TenantScope scope) {
    return new SqlWhatsAppProfiles(Objects.requireNonNull(scope, "scope"), cipher, routes);
  }

  /** Configures {@link WhatsApp}. */
  public static final class Builder {
    private final Crm crm;
    private SessionKeys sessionKeys;
    private WhatsAppGateway gateway = CloudApiGateway.builder().build();
    private final java.util.List<WhatsAppListener> listeners = new java.util.ArrayList<>();
    private MediaStore mediaStore;

    /** Where inbound media bytes go ({@link io.crmkit.whatsapp.media.FileSystemMediaStore}, or the host's); without one only their metadata is kept. */
    public Builder mediaStore(MediaStore mediaStore) {
      this.mediaStore = Objects.requireNonNull(mediaStore, "mediaStore");
      return this;
    }

    private Builder(Crm crm) {
      this.crm = crm;
    }

    /** Adds a listener, told of every event after its transaction commits. */
    public Builder listener(WhatsAppListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The channel replies go through; the official Cloud API unless set ({@link io.crmkit.whatsapp.testing.FakeWhatsAppGateway} in tests). */
    public Builder gateway(WhatsAppGateway gateway) {
      this.gateway = Objects.requireNonNull(gateway, "gateway");
      return this;
    }

    /** The keys sessions are encrypted with (required). */
    public Builder sessionKeys(SessionKeys sessionKeys) {
      this.sessionKeys = Objects.requireNonNull(sessionKeys, "sessionKeys");
      return this;
    }

    /**
     * The configured {@link WhatsApp}.
     *
     * @throws IllegalStateException without session keys, or if the current key is not available
     */
    public WhatsApp build() {
      if (sessionKeys == null) {
        throw new IllegalStateException("WhatsApp.builder() needs sessionKeys(…): profiles' sessions are encrypted");
      }
      if (sessionKeys.key(sessionKeys.currentKeyId()).isEmpty()) {
        throw new IllegalStateException("sessionKeys has no key for its current id " + sessionKeys.currentKeyId());
      }
      return new WhatsApp(this);
    }
  }
}
