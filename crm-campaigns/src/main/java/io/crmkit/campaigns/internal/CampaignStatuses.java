package io.crmkit.campaigns.internal;

import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.spi.TaggedStatus;
import io.crmkit.whatsapp.spi.TaggedStatuses;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery statuses of campaign sends, which crm-whatsapp's webhook hands over by their tag
 * ({@code crmkit.campaign:<attempt id>}): a status settles an {@code unknown} send (sent, delivered
 * or read: {@code sent}; failed: {@code failed}), turns a sent one that WhatsApp could not deliver
 * into {@code failed}, and stamps delivery and reading, each counted once. A status of a send still
 * in flight is kept on the row (its wamid, a failure's code) for the runner's record or the sweep.
 */
final class CampaignStatuses implements TaggedStatuses {
  private static final Logger log = LoggerFactory.getLogger(CampaignStatuses.class);
  private final CampaignEvents events;

  CampaignStatuses(CampaignEvents events) {
    this.events = events;
  }

  @Override
  public String tagPrefix() {
    return SendOutcomes.TAG_PREFIX;
  }

  @Override
  public void apply(TenantTransaction tx, TaggedStatus status) {
    UUID attempt;
    try {
      attempt = UUID.fromString(status.tag().substring(SendOutcomes.TAG_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      log.debug("campaign status with a tag that names no attempt: {}", status.tag());
      return;
    }
    RunnerMapper runner = tx.mapper(RunnerMapper.class);
    RunnerRows.Delivery row = runner.deliveryOf(tx.organizationId(), attempt);
    if (row == null) {
      // Not this tenant's send.
      return;
    }
    // While the send is still in flight (or its runner died), the status is kept on the row: the
    // runner's record, or the claim's sweep after its lease, reads it.
    boolean failed = "failed".equals(status.state());
    String to = row.status;
    if ("sending".equals(row.status)) {
      to = "sending";
    } else if ("pending".equals(row.status)) {
      // An unknown sent again, not yet gone: WhatsApp had it after all; the second try is off.
      to = failed ? "failed" : "sent";
    } else if (failed && ("sent".equals(row.status) || "unknown".equals(row.status))) {
      to = "failed";
    } else if (!failed && "unknown".equals(row.status)) {
      to = "sent";
    }
    boolean delivered = !failed && !row.delivered && (status.state().equals("delivered")
        || status.state().equals("read"));
    boolean read = !failed && !row.read && status.state().equals("read");
    if (to.equals(row.status) && !delivered && !read && !"sending".equals(row.status)) {
      return;
    }
    // A failure's code marks a failed status; a missing code still marks it (0).
    Integer code = failed ? status.errorCode().orElse(0) : null;
    runner.settle(tx.organizationId(), row.id, to, status.waMessageId(), code,
        status.errorTitle().map(SendOutcomes::text).orElse(null), delivered ? status.at() : null,
        read ? status.at() : null, "sent".equals(to) ? status.at() : null);
    int sent = (to.equals("sent") ? 1 : 0) - (row.status.equals("sent") ? 1 : 0);
    int failedCount = (to.equals("failed") ? 1 : 0) - (row.status.equals("failed") ? 1 : 0);
    int unknown = (to.equals("unknown") ? 1 : 0) - (row.status.equals("unknown") ? 1 : 0);
    int handled = "pending".equals(row.status) ? 1 : 0;
    runner.countDelivery(tx.organizationId(), row.campaignId, sent, failedCount, unknown, handled,
        delivered ? 1 : 0, read ? 1 : 0);
    if (handled > 0) {
      SendOutcomes.completeIfDone(tx, events, row.campaignId);
    }
  }
}
