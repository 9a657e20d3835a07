package io.crmkit.core.spi;

import java.sql.Connection;

/**
 * What every transaction a module works in offers: its MyBatis mappers, bound to the transaction.
 * A module's SQL lives in mapper XML beside its mapper interfaces, which the module lists in
 * {@link CrmModule#mappers()}; {@code ${schema}} in the XML is CRMKit's schema, quoted. Valid only
 * inside the call that handed it out, on its thread.
 */
public interface ModuleTransaction {

  /** A mapper of {@code type} bound to this transaction; {@code type} must be listed by a module. */
  <T> T mapper(Class<T> type);

  /** CRMKit's schema, e.g. {@code crm} (not quoted). */
  String schema();

  /**
   * The transaction's connection, for what a mapper cannot do (never SQL text: that belongs in
   * mapper XML); do not commit, roll back or close it.
   */
  Connection connection();
}
