package io.crmkit.billing.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** Billing's statements; SQL in BillingMapper.xml. */
interface BillingMapper {
  UUID organizationOf(@Param("customer") String customer);

  String customerOf(@Param("organizationId") UUID organizationId);

  int insertCustomer(@Param("organizationId") UUID organizationId, @Param("customer") String customer);

  BillingRows.Price priceOf(@Param("slug") String slug, @Param("interval") String interval);

  BillingRows.Price planOfPrice(@Param("priceId") String priceId);

  UUID recordEvent(@Param("organizationId") UUID organizationId, @Param("eventId") String eventId,
      @Param("type") String type, @Param("apiVersion") String apiVersion, @Param("objectId") String objectId,
      @Param("created") Instant created, @Param("receivedAt") Instant receivedAt);

  int setOutcome(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("outcome") String outcome);

  UUID upsertSubscription(@Param("organizationId") UUID organizationId, @Param("s") BillingRows.SubscriptionRow row);

  UUID upsertInvoice(@Param("organizationId") UUID organizationId, @Param("i") BillingRows.InvoiceRow row);

  UUID upsertPaymentMethod(@Param("organizationId") UUID organizationId,
      @Param("p") BillingRows.PaymentMethodRow row);

  int markDefault(@Param("organizationId") UUID organizationId);

  int setDefaultPaymentMethod(@Param("organizationId") UUID organizationId,
      @Param("paymentMethodId") String paymentMethodId, @Param("eventAt") Instant eventAt);

  BillingRows.SubscriptionRow latestSubscription(@Param("organizationId") UUID organizationId);

  List<BillingRows.InvoiceRow> invoices(@Param("organizationId") UUID organizationId, @Param("limit") int limit);

  List<BillingRows.PaymentMethodRow> paymentMethods(@Param("organizationId") UUID organizationId);

  List<UUID> graceEnded(@Param("before") Instant before, @Param("fallback") String fallback, @Param("max") int max);

  List<UUID> trialsEnded(@Param("now") Instant now, @Param("fallback") String fallback, @Param("max") int max);
}
