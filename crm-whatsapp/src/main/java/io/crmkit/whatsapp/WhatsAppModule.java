package io.crmkit.whatsapp;

import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.cloudapi.CloudApiGateway;
import io.crmkit.whatsapp.internal.WhatsAppRuntime;
import io.crmkit.whatsapp.internal.WhatsAppSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * crm-whatsapp as a module of a {@code Crm}: configured once with the host's settings and given to
 * the Crm's builder, which installs its services; hosts reach them from a tenant scope or from the
 * Crm, never from an object of this module's own. Its migrations run with crm-core's
 * ({@code crm.migrate()}).
 *
 * <pre>{@code
 * Crm crm = Crm.builder().dataSource(ds).migrationDataSource(adminDs)
 *     .module(WhatsAppModule.builder()
 *         .sessionKeys(SessionKeys.of("2026-11", Map.of("2026-11", key256)))
 *         .verifyToken(System.getenv("WA_VERIFY_TOKEN"))
 *         .app("1234567890", System.getenv("WA_APP_SECRET"))
 *         .build())
 *     .build();
 * TenantScope acme = crm.tenant(acmeId).as(saraId);
 * WhatsAppProfile sales = acme.service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder()
 *     .name("Sales").phoneNumber("+966501234567").phoneNumberId(phoneNumberId).metaAppId("1234567890")
 *     .session(accessToken).build());
 * acme.service(WhatsAppInbox.class).sendText(conversationId, "On its way");
 * crm.service(WhatsAppWebhook.class).receive(rawBody, signatureHeader);   // tenants found by number
 * crm.service(WhatsAppOutbox.class).drain(100, queue::publish);
 * crm.service(WhatsAppJobs.class).resumeStalledReplies(WhatsAppJobs.MIN_STALL, 100);
 * }</pre>
 *
 * <p>Tenant services: {@link WhatsAppInbox} and {@link WhatsAppProfiles}, from
 * {@code scope.service(…)} (inside {@code scope.inTransaction(tx -> …)} from {@code tx}, joining
 * its transaction). Services across tenants: {@link WhatsAppWebhook}, {@link WhatsAppOutbox} and
 * {@link WhatsAppJobs}, from {@code crm.service(…)}.
 *
 * <p>The module is also found by {@link java.util.ServiceLoader} when its jar is on the class path;
 * found that way it has no settings, and the Crm refuses to build, naming the missing setting,
 * until one configured with {@link #builder()} is given to {@code Crm.builder().module(…)}.
 * Immutable; each Crm it is given to gets state of its own (its listeners and gateway are shared).
 */
public final class WhatsAppModule implements CrmModule {
  private final WhatsAppSettings settings;

  /**
   * The module as {@link java.util.ServiceLoader} makes it, without settings: a Crm it is
   * installed on refuses to build. Hosts use {@link #builder()}.
   */
  public WhatsAppModule() {
    this.settings = null;
  }

  private WhatsAppModule(WhatsAppSettings settings) {
    this.settings = settings;
  }

  /** Starts configuring the module; session keys are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code "whatsapp"}. */
  @Override
  public String name() {
    return "whatsapp";
  }

  /** Its tables reference core's organizations, users and customers. */
  @Override
  public List<String> dependsOn() {
    return List.of("core");
  }

  /** The module's mappers, SQL beside them in {@code io/crmkit/whatsapp/internal}. */
  @Override
  public List<Class<?>> mappers() {
    return WhatsAppRuntime.MAPPERS;
  }

  /**
   * Registers the tenant services {@link WhatsAppInbox} and {@link WhatsAppProfiles}, the
   * services across tenants {@link WhatsAppWebhook}, {@link WhatsAppOutbox} and {@link WhatsAppJobs},
   * and the replayer of the webhook's dead letters (source {@code whatsapp.webhook}, replayed through
   * {@link io.crmkit.core.DeadLetters}).
   *
   * @throws IllegalStateException on a module without settings (the one ServiceLoader found)
   */
  @Override
  public void install(ModuleContext context) {
    if (settings == null) {
      throw new IllegalStateException("crm-whatsapp needs session keys: Crm.builder().module(WhatsAppModule.builder()"
          + ".sessionKeys(…).build())");
    }
    WhatsAppRuntime.install(context, settings);
  }

  /** The duplicate's WhatsApp contacts and conversations now belong to the survivor. */
  @Override
  public void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    WhatsAppRuntime.mergeCustomers(tx, survivor, duplicate);
  }

  @Override
  public String toString() {
    return "WhatsAppModule[" + (settings == null ? "not configured" : settings) + "]";
  }

  /** Configures a {@link WhatsAppModule}; not thread-safe, build once. */
  public static final class Builder {
    private SessionKeys sessionKeys;
    private WhatsAppGateway gateway;
    private final List<WhatsAppListener> listeners = new ArrayList<>();
    private MediaStore mediaStore;
    private String verifyToken;
    private final Map<String, String> appSecrets = new LinkedHashMap<>();
    private int maxBodyBytes = WhatsAppWebhook.DEFAULT_MAX_BODY_BYTES;

    private Builder() {}

    /** The keys profiles' sessions (access tokens) are encrypted with at rest (required). */
    public Builder sessionKeys(SessionKeys sessionKeys) {
      this.sessionKeys = Objects.requireNonNull(sessionKeys, "sessionKeys");
      return this;
    }

    /**
     * The channel replies, read receipts, number checks and media fetches go through; the official
     * Cloud API ({@link CloudApiGateway} with its defaults) unless set
     * ({@link io.crmkit.whatsapp.testing.FakeWhatsAppGateway} in tests).
     */
    public Builder gateway(WhatsAppGateway gateway) {
      this.gateway = Objects.requireNonNull(gateway, "gateway");
      return this;
    }

    /** Adds a listener, told of every event after its transaction commits; repeat for several. */
    public Builder listener(WhatsAppListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Where inbound media bytes go ({@link io.crmkit.whatsapp.media.FileSystemMediaStore}, or the
     * host's), fetched by {@link WhatsAppJobs#fetchPendingMedia}; without one only their metadata
     * is kept.
     */
    public Builder mediaStore(MediaStore mediaStore) {
      this.mediaStore = Objects.requireNonNull(mediaStore, "mediaStore");
      return this;
    }

    /**
     * The token the webhook's GET handshake must present (chosen when configuring the webhook at
     * Meta); needed, with at least one {@link #app}, by {@link WhatsAppWebhook}.
     */
    public Builder verifyToken(String verifyToken) {
      Objects.requireNonNull(verifyToken, "verifyToken");
      if (verifyToken.isBlank()) {
        throw new IllegalArgumentException("verifyToken must not be blank");
      }
      this.verifyToken = verifyToken;
      return this;
    }

    /**
     * A Meta app whose webhook deliveries are accepted, with its app secret, which signs them;
     * repeat for several apps.
     */
    public Builder app(String metaAppId, String appSecret) {
      Objects.requireNonNull(metaAppId, "metaAppId");
      Objects.requireNonNull(appSecret, "appSecret");
      if (!metaAppId.matches("[0-9]{1,32}")) {
        throw new IllegalArgumentException("metaAppId must be the app's numeric id, was " + metaAppId);
      }
      appSecrets.put(metaAppId, appSecret);
      return this;
    }

    /**
     * The largest webhook body accepted, in bytes: {@link WhatsAppWebhook#DEFAULT_MAX_BODY_BYTES}
     * (4 MiB; Meta documents deliveries of up to 3 MB) unless set. A larger one is answered 413
     * before any signature is computed over it.
     *
     * @throws IllegalArgumentException unless between 1 KiB and 64 MiB
     */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1024 || maxBodyBytes > 64 * 1024 * 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be between 1024 (1 KiB) and 67108864 (64 MiB), was "
            + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * The configured module, for {@code Crm.builder().module(…)}.
     *
     * @throws IllegalStateException without session keys, when the current key is not among them, or
     *     with a verify token but no app (or an app but no verify token), each naming the setting
     * @throws IllegalArgumentException if an app secret is blank or two apps share one
     */
    public WhatsAppModule build() {
      if (sessionKeys == null) {
        throw new IllegalStateException("crm-whatsapp needs session keys: WhatsAppModule.builder().sessionKeys(…);"
            + " profiles' sessions are encrypted with them");
      }
      if (sessionKeys.key(sessionKeys.currentKeyId()).isEmpty()) {
        throw new IllegalStateException("sessionKeys has no key for its current id " + sessionKeys.currentKeyId());
      }
      if (verifyToken != null && appSecrets.isEmpty()) {
        throw new IllegalStateException("crm-whatsapp's webhook needs at least one app(metaAppId, appSecret) besides"
            + " verifyToken(…)");
      }
      if (verifyToken == null && !appSecrets.isEmpty()) {
        throw new IllegalStateException("crm-whatsapp's webhook needs verifyToken(…) for Meta's GET handshake besides"
            + " app(…)");
      }
      return new WhatsAppModule(new WhatsAppSettings(sessionKeys,
          gateway != null ? gateway : CloudApiGateway.builder().build(), listeners, Optional.ofNullable(mediaStore),
          Optional.ofNullable(verifyToken),
          appSecrets.isEmpty() ? Optional.empty() : Optional.of(WebhookSignature.of(appSecrets)), maxBodyBytes));
    }
  }
}
