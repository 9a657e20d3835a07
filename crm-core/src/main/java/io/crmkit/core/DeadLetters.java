package io.crmkit.core;

import java.util.Optional;
import java.util.UUID;

/**
 * The tenant's dead letters: items from outside that failed alone, the same way on every try (a
 * WhatsApp message a defect or a schema rule refuses), kept so that the delivery they came in is
 * answered and stored otherwise, and the sender stops redelivering it. An operator sees them here,
 * replays one once its cause is fixed, or drops it. Reached as {@code scope.service(DeadLetters.class)}.
 *
 * <pre>{@code
 * DeadLetters letters = acme.service(DeadLetters.class);
 * for (DeadLetter letter : letters.list(50, Optional.empty()).items()) {
 *   log.warn("{} {} failed {} times: {}", letter.source(), letter.key(), letter.attempts(), letter.reason());
 * }
 * Optional<DeadLetter> still = letters.replay(letterId);   // empty: stored, and the letter is gone
 * }</pre>
 *
 * <p>Reading needs an admin or a manager, replaying and dropping an admin
 * ({@link io.crmkit.core.exception.ForbiddenException} otherwise). A letter of another tenant, like
 * one that does not exist, is a {@link io.crmkit.core.exception.NotFoundException}. Each call is
 * its own transaction, or joins the scope's.
 */
public interface DeadLetters {
  /** The largest page {@link #list} returns. */
  int MAX_PAGE = 100;

  /**
   * The letters, newest failure first, {@code limit} (1 to {@value #MAX_PAGE}) at a time.
   *
   * @param cursor the previous page's {@link Page#nextCursor()}, or empty for the first page
   * @throws io.crmkit.core.exception.ValidationException for a bad limit or a cursor that is not one of ours
   */
  Page<DeadLetter> list(int limit, Optional<String> cursor);

  /**
   * The letter {@code id}.
   *
   * @throws io.crmkit.core.exception.NotFoundException if the tenant has no such letter
   */
  DeadLetter get(UUID id);

  /**
   * Hands the letter's item to the module that receives its source, in one transaction with the
   * letter's deletion: either the item is stored and the letter gone, or nothing of it is stored and
   * the letter stays, its attempts counted and its reason the new failure. Runs as this scope's
   * actor (who is then, for instance, the creator of a customer the item brings).
   *
   * @return empty when the item was stored and the letter deleted; the letter as it now stands
   *     when the replay failed again (no module of this Crm replaying its source is such a failure)
   * @throws io.crmkit.core.exception.NotFoundException if the tenant has no such letter
   * @throws io.crmkit.core.exception.RetryableException if the replay failed for a transient reason;
   *     nothing changed, the letter included
   */
  Optional<DeadLetter> replay(UUID id);

  /**
   * Deletes the letter without replaying it: the item is given up.
   *
   * @throws io.crmkit.core.exception.NotFoundException if the tenant has no such letter
   */
  void drop(UUID id);
}
