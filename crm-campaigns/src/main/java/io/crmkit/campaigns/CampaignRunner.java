package io.crmkit.campaigns;

/**
 * The sender of every tenant's running campaigns, reached from the Crm:
 * {@code crm.service(CampaignRunner.class)}. Runners in several JVMs against one database share the
 * work: each call leases a few due recipients (an owner-defined function, the one path across
 * tenants, with {@code FOR UPDATE SKIP LOCKED}), and everything after runs in that recipient's
 * tenant's own transaction.
 *
 * <p>A send is recorded around the call, which has no idempotency key: the recipient is marked
 * {@code sending} with an attempt id and committed, the gateway is called outside any transaction
 * with the attempt id as the message's callback data, and the outcome is recorded with its result
 * row in one transaction. A runner that dies between the call and the record leaves the recipient
 * {@code sending}; when its lease ends it becomes {@code unknown}, never sent again by itself. An
 * answer that does not say whether WhatsApp took the message (a timeout, a 5xx) is {@code unknown}
 * too.
 *
 * <pre>{@code
 * CampaignRunner runner = crm.service(CampaignRunner.class);
 * int handled = runner.runOnce(50);   // from your scheduler, every second or so, in any number of JVMs
 * }</pre>
 */
public interface CampaignRunner {
  /** The most recipients one call leases. */
  int MAX_BATCH = 1000;

  /**
   * Leases up to {@code max} due recipients of running campaigns, of any tenant, and sends to each
   * in this thread; a campaign with a pause between sends gives one recipient per call, due again
   * after its pause.
   *
   * @param max 1 to {@value #MAX_BATCH}
   * @return how many recipients were handled (sent, failed, or left unknown)
   * @throws io.crmkit.core.exception.ValidationException for a bad {@code max}
   */
  int runOnce(int max);
}
