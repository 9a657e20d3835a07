package io.crmkit.whatsapp.internal;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.MediaStore;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppInbox;
import io.crmkit.whatsapp.WhatsAppJobs;
import io.crmkit.whatsapp.WhatsAppOutbox;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppWebhook;
import io.crmkit.whatsapp.spi.InboundTexts;
import io.crmkit.whatsapp.spi.MarketingPreferences;
import io.crmkit.whatsapp.spi.TaggedStatuses;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * crm-whatsapp's state in one {@code Crm}, made when the module is installed: the Crm, the session
 * cipher, the gateway, the events and their listeners, the media store and the number routes. The
 * services it registers share it; immutable and thread-safe.
 */
public final class WhatsAppRuntime {
  /** The module's mapper interfaces, listed by {@code WhatsAppModule.mappers()}. */
  public static final List<Class<?>> MAPPERS = List.of(ProfileMapper.class, RouteMapper.class, LockMapper.class,
      ContactMapper.class, ConversationMapper.class, MessageMapper.class, StatusMapper.class, ReplyMapper.class,
      EventMapper.class, MediaMapper.class);

  final Crm crm;
  final SessionCipher cipher;
  final WhatsAppGateway gateway;
  final Events events;
  final Optional<MediaStore> mediaStore;
  final NumberRoutes routes;

  private WhatsAppRuntime(Crm crm, WhatsAppSettings settings) {
    this.crm = crm;
    this.cipher = new SessionCipher(settings.sessionKeys());
    this.gateway = settings.gateway();
    this.events = new Events(settings.listeners());
    this.mediaStore = settings.mediaStore();
    this.routes = new NumberRoutes(crm, cipher, gateway, events);
  }

  /** Makes the module's state for {@code context}'s Crm and registers its services there. */
  public static void install(ModuleContext context, WhatsAppSettings settings) {
    WhatsAppRuntime runtime = new WhatsAppRuntime(context.crm(), settings);
    context.tenantService(WhatsAppInbox.class, runtime::inbox);
    context.tenantService(WhatsAppProfiles.class, runtime::profiles);
    WebhookIngest ingest = new WebhookIngest(runtime.crm, runtime.events,
        () -> context.extensions(TaggedStatuses.class), () -> context.extensions(InboundTexts.class),
        () -> context.extensions(MarketingPreferences.class));
    // Also without a webhook: letters an earlier configuration kept stay replayable.
    context.deadLetterSource(WebhookIngest.SOURCE, ingest::replay);
    if (settings.signatures().isPresent()) {
      context.crmService(WhatsAppWebhook.class, new SqlWhatsAppWebhook(settings.verifyToken().orElseThrow(),
          settings.signatures().get(), settings.maxBodyBytes(), ingest));
    } else {
      context.unavailable(WhatsAppWebhook.class, "crm-whatsapp was configured without a webhook: give"
          + " WhatsAppModule.builder().verifyToken(…).app(metaAppId, appSecret) to receive Meta's deliveries");
    }
    context.crmService(WhatsAppOutbox.class, new SqlWhatsAppOutbox(runtime.crm));
    context.crmService(WhatsAppJobs.class, new SqlWhatsAppJobs(runtime));
    // The one configured channel, for modules that send on their own (crm-campaigns' runner).
    context.crmService(WhatsAppGateway.class, runtime.gateway);
  }

  /** The duplicate's WhatsApp contacts and conversations now belong to the survivor (the merge's hook). */
  public static void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {
    tx.mapper(ContactMapper.class).moveToCustomer(tx.organizationId(), duplicate, survivor);
    tx.mapper(ConversationMapper.class).moveToCustomer(tx.organizationId(), duplicate, survivor);
  }

  /** The inbox of {@code scope}'s organization, acting as its actor. */
  SqlWhatsAppInbox inbox(TenantScope scope) {
    return new SqlWhatsAppInbox(scope, this);
  }

  /** The profiles of {@code scope}'s organization, acting as its actor. */
  SqlWhatsAppProfiles profiles(TenantScope scope) {
    return new SqlWhatsAppProfiles(scope, cipher, routes);
  }

  /** Who sends replies and settles those a stopped process left. */
  ReplySender replies() {
    return new ReplySender(this);
  }
}
