package io.crmkit.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;

/**
 * How a module stores again an item it kept as a dead letter, once its cause is fixed: registered
 * for the letter's source with {@link ModuleContext#deadLetterSource}, called by
 * {@link io.crmkit.core.DeadLetters#replay}.
 *
 * <pre>{@code
 * context.deadLetterSource("whatsapp.webhook", (tx, item) -> ingest.replay(tx, item));
 * }</pre>
 */
@FunctionalInterface
public interface DeadLetterReplayer {
  /**
   * Stores {@code item}, as {@link DeadLetterBox#keep} was given it, in {@code tx}: the tenant's
   * transaction that also deletes the letter, so the item must be stored in it, not in a
   * transaction of its own. Storing an item stored meanwhile (a redelivery got through) must
   * change nothing and succeed. Throws to leave the letter in place; any exception counts as a
   * failed replay, except a {@link io.crmkit.core.exception.RetryableException}.
   */
  void replay(TenantTransaction tx, JsonNode item) throws SQLException;
}
