package io.crmkit.billing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.crmkit.billing.StripeWebhook;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.spi.DeadLetterBox;
import io.crmkit.core.spi.OutsideJson;
import io.crmkit.core.spi.TenantWork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StripeWebhook}: the size cap, Stripe's signature with its tolerance by the Crm's clock,
 * then the organization of the event's customer (the one cross-tenant read) and the event in that
 * tenant's transaction as the system actor {@value #ACTOR} ({@link StripeEvents}); after a
 * subscription's event, the organization's plan and status ({@link BillingSync}).
 */
final class SqlStripeWebhook implements StripeWebhook {
  /** The system actor events are applied as. */
  static final String ACTOR = "stripe-webhook";
  /** The dead letters' source: events that failed for good, kept in their organization. */
  static final String SOURCE = "stripe.webhook";
  /** Stripe's tolerance for a signature's timestamp, in seconds. */
  static final long TOLERANCE_SECONDS = 300;
  private static final Logger log = LoggerFactory.getLogger(SqlStripeWebhook.class);
  private final Crm crm;
  private final String secret;
  private final BillingSync sync;

  SqlStripeWebhook(Crm crm, String secret, BillingSync sync) {
    this.crm = crm;
    this.secret = secret;
    this.sync = sync;
  }

  @Override
  public Response receive(byte[] rawBody, String signatureHeader) {
    Objects.requireNonNull(rawBody, "rawBody");
    if (rawBody.length > MAX_BODY_BYTES) {
      return new Response(413, "too large");
    }
    if (signatureHeader == null) {
      return new Response(400, "no Stripe-Signature");
    }
    try {
      Webhook.Signature.verifyHeader(new String(rawBody, StandardCharsets.UTF_8), signatureHeader, secret,
          TOLERANCE_SECONDS, crm.clock());
    } catch (SignatureVerificationException e) {
      return new Response(400, "invalid signature");
    }
    JsonNode event;
    try {
      event = OutsideJson.read(rawBody);
    } catch (IOException e) {
      return new Response(400, "malformed JSON");
    }
    if (!"event".equals(event.path("object").asText()) || !event.path("id").asText().matches("evt_[A-Za-z0-9]{1,250}")
        || event.path("type").asText().isEmpty() || !event.path("created").isNumber()) {
      return new Response(400, "not a Stripe event");
    }
    try {
      return handle(event);
    } catch (RuntimeException e) {
      if (DeadLetterBox.isTransient(e)) {
        log.warn("Stripe event {} not stored now, Stripe will deliver it again: {}", event.path("id").asText(),
            e.getMessage());
        return new Response(503, "try again");
      }
      log.error("Stripe event {} not stored, Stripe will deliver it again", event.path("id").asText(), e);
      return new Response(500, "not stored");
    }
  }

  private Response handle(JsonNode event) {
    Optional<String> customer = StripeEvents.customerOf(event);
    if (customer.isEmpty()) {
      log.info("Stripe event {} ({}) names no customer; acknowledged", event.path("id").asText(),
          event.path("type").asText());
      return new Response(200, "no customer");
    }
    UUID organizationId = TenantWork.crossTenant(crm,
        tx -> tx.mapper(BillingMapper.class).organizationOf(customer.get()));
    if (organizationId == null) {
      log.info("Stripe event {} is of customer {}, no organization's; acknowledged", event.path("id").asText(),
          customer.get());
      return new Response(200, "not ours");
    }
    TenantScope scope = crm.tenant(organizationId).asSystem(ACTOR);
    String eventId = event.path("id").asText();
    boolean stored;
    try {
      stored = TenantWork.call(scope, tx -> StripeEvents.apply(tx, event));
    } catch (RuntimeException e) {
      if (DeadLetterBox.isTransient(e)) {
        throw e;
      }
      // An event that fails for good (a shape no release of Stripe's should send) would fail at
      // every retry: kept for an admin to replay once the cause is fixed, and acknowledged.
      TenantWork.call(scope, tx -> DeadLetterBox.keep(tx, SOURCE, eventId, event, e));
      log.error("Stripe event {} of organization {} failed; kept as a dead letter of {}", eventId, organizationId,
          SOURCE, e);
      return new Response(200, "kept as a dead letter");
    }
    if (event.path("type").asText().startsWith("customer.subscription.")) {
      followSubscription(organizationId);
    }
    return new Response(200, stored ? "ok" : "already received");
  }

  /**
   * The organization's plan after a subscription's event (a replay too: a change that failed the
   * first time is made now). A transient failure is thrown (Stripe retries); another is logged and
   * left to the next event or the grace job, so one bad plan never makes Stripe retry for days.
   */
  private void followSubscription(UUID organizationId) {
    try {
      sync.sync(organizationId);
    } catch (RuntimeException e) {
      if (DeadLetterBox.isTransient(e)) {
        throw e;
      }
      log.error("organization {}: its plan could not follow its subscription", organizationId, e);
    }
  }
}
