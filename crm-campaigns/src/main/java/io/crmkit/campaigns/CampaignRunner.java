package io.crmkit.campaigns;

import io.crmkit.core.exception.ValidationException;
import java.time.Duration;
import java.util.Objects;

/**
 * The sender of every tenant's running campaigns, reached from the Crm:
 * {@code crm.service(CampaignRunner.class)}. Runners in several JVMs against one database share the
 * work: each claim leases a few due recipients (an owner-defined function, the one path across
 * tenants, with {@code FOR UPDATE SKIP LOCKED}), and everything after runs in that recipient's
 * tenant's own transaction.
 *
 * <pre>{@code
 * CampaignRunner.Workers workers = crm.service(CampaignRunner.class)
 *     .start(CampaignRunner.Settings.DEFAULT);        // in each JVM of the host
 * ...
 * workers.close();                                   // at shutdown: sends in flight finish
 * }</pre>
 *
 * <p>A send is recorded around the call, which has no idempotency key: the recipient is marked
 * {@code sending} with an attempt id and committed, the gateway is called outside any transaction
 * with the attempt id as the message's callback data, and the outcome is recorded with its result
 * row in one transaction. A runner that dies between the call and the record leaves the recipient
 * {@code sending}; when its lease ends it becomes {@code unknown}, never sent again by itself. An
 * answer that does not say whether WhatsApp took the message (a timeout, a 5xx) is {@code unknown}
 * too. A later status webhook of the attempt settles an unknown.
 *
 * <p>Each WhatsApp profile sends at its {@link SendingLimits#messagesPerSecond()}, shared by all
 * runners through the database: a claim gives each recipient a send slot, and the runner sends no
 * earlier. WhatsApp's rate limit (130429) holds the whole profile back, 4 seconds at first, longer
 * while it repeats. Daily limits make a campaign wait for the organization's next day.
 */
public interface CampaignRunner {
  /** The most recipients one claim leases. */
  int MAX_BATCH = 1000;

  /**
   * Claims up to {@code max} due recipients of running campaigns, of any tenant, and sends to each
   * in this thread, each in its send slot (so a call may take up to about a second); a campaign
   * with a pause between sends gives one recipient per call, due again after its pause. Starts
   * scheduled campaigns whose time has come first. For a host that runs its own scheduler; most
   * hosts {@link #start} workers instead.
   *
   * @param max 1 to {@value #MAX_BATCH}
   * @return how many recipients were handled (sent, failed, skipped or left unknown)
   * @throws ValidationException for a bad {@code max}
   */
  int runOnce(int max);

  /**
   * Starts {@code settings.workers()} threads that claim and send until {@link Workers#close()};
   * a worker that found nothing to do waits {@code settings.pollInterval()}.
   */
  Workers start(Settings settings);

  /**
   * Runner threads started by {@link #start}.
   */
  interface Workers extends AutoCloseable {
    /**
     * Stops gracefully and waits: no more claims; sends in flight finish and are recorded;
     * recipients claimed but not yet sent are given back at once for any runner to take.
     */
    @Override
    void close();

    /** Whether every worker thread has ended. */
    boolean stopped();
  }

  /**
   * How {@link #start} runs.
   *
   * @param workers threads, 1 to 64; each sends one message at a time
   * @param pollInterval how long a worker with nothing to do waits, 10 ms to 1 minute
   * @param batchSize recipients one claim leases, 1 to {@value #MAX_BATCH}
   */
  record Settings(int workers, Duration pollInterval, int batchSize) {
    /** One worker, a one-second poll, batches of 50. */
    public static final Settings DEFAULT = new Settings(1, Duration.ofSeconds(1), 50);

    /**
     * @throws ValidationException for a value outside its range
     */
    public Settings {
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (workers < 1 || workers > 64) {
        throw new ValidationException("workers", "must be 1 to 64, was " + workers);
      }
      if (pollInterval.compareTo(Duration.ofMillis(10)) < 0 || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new ValidationException("pollInterval", "must be 10 ms to 1 minute, was " + pollInterval);
      }
      if (batchSize < 1 || batchSize > MAX_BATCH) {
        throw new ValidationException("batchSize", "must be 1 to " + MAX_BATCH + ", was " + batchSize);
      }
    }
  }
}
