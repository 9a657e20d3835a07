package io.crmkit.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.exception.CommitOutcomeUnknownException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.internal.DeadLetterRecords;

/**
 * Where a module keeps an item from outside that failed alone (a webhook delivery's message), so
 * the rest of what came with it is stored and acknowledged: a dead letter in the tenant's
 * {@code dead_letters}, listed, replayed and dropped through {@link io.crmkit.core.DeadLetters}.
 * Only failures that would recur on every try belong there; a {@linkplain #isTransient transient}
 * one is the sender's to retry.
 *
 * <pre>{@code
 * try {
 *   TenantWork.call(scope, tx -> store(tx, message));
 * } catch (RuntimeException e) {
 *   if (DeadLetterBox.isTransient(e)) throw e;                     // answer 503: the sender retries
 *   TenantWork.call(scope, tx -> DeadLetterBox.keep(tx, "whatsapp.webhook", "message:" + wamid, item, e));
 * }
 * }</pre>
 */
public final class DeadLetterBox {
  private DeadLetterBox() {}

  /**
   * Keeps {@code item} as a dead letter of {@code source} in {@code tx}, which must be another
   * transaction than the one that failed (that one is rolled back). A letter of the same source
   * and key stays as it is: a redelivery of the same item adds nothing.
   *
   * @param source the source a module registered with {@link ModuleContext#deadLetterSource}
   * @param key the item's name within its source; cleaned like text from outside, and a key
   *     longer than 300 characters is kept as its SHA-256
   * @param item what the source's replayer needs, as received (cleaned by {@link OutsideJson#clean}
   *     before it is stored)
   * @param failure why the item failed; the letter's reason is its type and message, or only its
   *     type when a database error lies beneath it that was not translated (never SQL text)
   * @return whether a new letter was written (false: the key had one)
   * @throws IllegalArgumentException if {@code source} is not lowercase words joined by dots, or
   *     {@code key} is blank
   */
  public static boolean keep(TenantTransaction tx, String source, String key, JsonNode item, Throwable failure) {
    return DeadLetterRecords.keep(tx, source, key, item, failure);
  }

  /**
   * Whether {@code failure} may not happen again on another try, and so is no dead letter: a
   * {@link RetryableException} (database unreachable, pool exhausted, serialization failure,
   * deadlock, lock or statement timeout) or a {@link CommitOutcomeUnknownException}.
   */
  public static boolean isTransient(Throwable failure) {
    return failure instanceof RetryableException || failure instanceof CommitOutcomeUnknownException;
  }
}
