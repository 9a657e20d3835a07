package io.crmkit.whatsapp;

import java.time.Duration;

/**
 * The jobs a host runs for crm-whatsapp across all tenants, from any number of processes: a
 * service across tenants, {@code crm.service(WhatsAppJobs.class)}. Each works outside any
 * transaction of the caller's and is safe to run concurrently.
 *
 * <pre>{@code
 * WhatsAppJobs jobs = crm.service(WhatsAppJobs.class);
 * scheduler.scheduleWithFixedDelay(() -> jobs.resumeStalledReplies(WhatsAppJobs.MIN_STALL, 100), 0, 1, MINUTES);
 * scheduler.scheduleWithFixedDelay(() -> jobs.fetchPendingMedia(100), 0, 5, SECONDS);
 * }</pre>
 */
public interface WhatsAppJobs {
  /** The least age at which a reply counts as left behind (also enforced in the database). */
  Duration MIN_STALL = Duration.ofMinutes(2);

  /**
   * Settles replies a stopped process left behind: those committed but never handed to WhatsApp
   * (older than {@code olderThan}) are sent now; those it stopped while handing over become
   * {@code unknown} (never sent twice). Run it at start and every minute or so; concurrent runs
   * send each reply once. {@code olderThan} is at least {@link #MIN_STALL}, longer than a send can
   * take with the gateway's timeouts and retries; a send that still returns later records its
   * outcome over the unknown.
   *
   * @param max how many replies at most, 1 to 1000
   * @return how many replies this call sent
   * @throws io.crmkit.core.exception.ValidationException naming {@code olderThan} if it is shorter
   *     than {@link #MIN_STALL} or longer than 3,650 days, or {@code max} if it is not 1 to 1000
   */
  int resumeStalledReplies(Duration olderThan, int max);

  /**
   * Fetches inbound media still missing from the {@link MediaStore} from the Cloud API, outside
   * any transaction: run it every few seconds. A run claims a few messages at a time for ten
   * minutes, so runs at the same time share the work and do not fetch the same media (only a fetch
   * outliving its claim can be repeated by another run, and then only the run holding the claim
   * records it); what a stopped run had claimed is fetched by another once the claim ends. A
   * failed fetch is tried again by a later run after a backoff (30 s, doubling, at most an hour; up
   * to ten times); media the provider no longer has is marked gone.
   *
   * @param max how many messages at most, 1 to 1000
   * @return how many were stored by this call
   * @throws IllegalStateException if the module was configured without a media store
   * @throws io.crmkit.core.exception.ValidationException on {@code max} out of range
   */
  int fetchPendingMedia(int max);
}
