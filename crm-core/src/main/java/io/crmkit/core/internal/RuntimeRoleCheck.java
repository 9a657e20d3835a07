package io.crmkit.core.internal;

import io.crmkit.core.Crm;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Checks, when a {@code Crm} is built, that row-level security applies to the runtime role: it
 * does not to superusers, BYPASSRLS roles, the tables' owner, or members of the owner.
 */
public final class RuntimeRoleCheck {
  private RuntimeRoleCheck() {}

  /** The result: the role's name and what, if anything, lets it bypass row-level security. */
  public record Result(String role, List<String> problems) {
    /** True if row-level security applies to the role. */
    public boolean confined() {
      return problems.isEmpty();
    }
  }

  /** Connects once through {@code runtime} and inspects the connected role. */
  public static Result inspect(DataSource runtime, String schema, String ownerRole) {
    String sql = """
        select r.rolname, r.rolsuper, r.rolbypassrls,
               exists (select 1 from pg_roles o
                        where o.rolname = ? and pg_has_role(r.oid, o.oid, 'MEMBER')) as owner_member,
               exists (select 1 from pg_namespace n
                        where n.nspname = ? and pg_has_role(r.oid, n.nspowner, 'MEMBER')) as schema_owner,
               exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = ? and pg_has_role(r.oid, c.relowner, 'MEMBER')) as table_owner
          from pg_roles r
         where r.rolname = current_user
        """;
    try (Connection c = runtime.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, ownerRole);
      ps.setString(2, schema);
      ps.setString(3, schema);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("cannot inspect the runtime role (current_user not in pg_roles)");
        }
        String role = rs.getString(1);
        List<String> problems = new ArrayList<>();
        if (rs.getBoolean(2)) {
          problems.add("is a superuser");
        }
        if (rs.getBoolean(3)) {
          problems.add("has BYPASSRLS");
        }
        if (rs.getBoolean(4)) {
          problems.add("is or is a member of the owner role " + ownerRole);
        }
        if (rs.getBoolean(5)) {
          problems.add("is or is a member of the owner of schema " + schema);
        }
        if (rs.getBoolean(6)) {
          problems.add("is or is a member of the owner of tables in schema " + schema);
        }
        return new Result(role, List.copyOf(problems));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect through the runtime DataSource: " + e.getMessage(), e);
    }
  }
}
