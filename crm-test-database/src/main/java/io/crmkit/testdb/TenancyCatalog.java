package io.crmkit.testdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Checks of the foundation's tenancy rules read from the catalog, for every module's schema test. */
public final class TenancyCatalog {
  private TenancyCatalog() {}

  /**
   * The tables of {@code schema} whose {@code organization_id} {@code role} may update, by a grant
   * on the table or on the column. A tenant row never moves to another tenant: the policies refuse
   * the move, and no grant should allow the attempt, so the answer should be empty.
   */
  public static List<String> tablesWhoseTenantRoleMayUpdate(Connection c, String schema, String role)
      throws SQLException {
    return Jdbc.rows(c, "select c.relname from pg_class c join pg_attribute a on a.attrelid = c.oid"
        + " where c.relnamespace = ?::regnamespace and c.relkind in ('r', 'p') and a.attname = 'organization_id'"
        + " and has_column_privilege(?, c.oid, a.attnum, 'UPDATE') order by 1", schema, role);
  }
}
