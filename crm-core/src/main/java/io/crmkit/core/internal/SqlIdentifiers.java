package io.crmkit.core.internal;

/**
 * Identifiers (the schema, the roles, a module's table) quoted for SQL text, so one named like a
 * keyword ({@code "user"}) works; they come from configuration, never from input.
 */
final class SqlIdentifiers {
  private SqlIdentifiers() {}

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
