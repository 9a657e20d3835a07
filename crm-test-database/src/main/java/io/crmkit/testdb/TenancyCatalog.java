package io.crmkit.testdb;

import static io.crmkit.testdb.TenantTables.ROOT_TABLE;
import static io.crmkit.testdb.TenantTables.TENANT_TABLES_CTE;

import io.crmkit.testdb.TenancyViolation.Rule;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The foundation's tenancy rules, read from the catalog of a migrated schema: what every tenant
 * table, foreign key and SECURITY DEFINER function must be, and what the runtime role may reach.
 * {@link TenancyViolation.Rule} lists the rules. A tenant table is one with the column
 * {@code organization_id}, or the tenant root {@code organizations} (its {@code id} is the tenant);
 * tables named in {@code exceptions} are deliberately not tenant tables and are left out of the
 * tenant-table rules (but not out of the runtime role's: one it can reach must still have row
 * security with a policy).
 */
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

  /**
   * Every breach of the rules in {@code schema}, read as a superuser; empty when the schema keeps
   * them all.
   *
   * @param admin superuser connections to the migrated database
   * @param schema the schema checked, e.g. {@code crm}
   * @param ownerRole the role that must own every SECURITY DEFINER function
   * @param runtimeRole the role the application connects as
   * @param exceptions tables that are deliberately not tenant tables
   * @throws IllegalStateException if the catalog cannot be read (a role or the schema missing)
   */
  public static List<TenancyViolation> violations(DataSource admin, String schema, String ownerRole,
      String runtimeRole, Set<String> exceptions) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(ownerRole, "ownerRole");
    Objects.requireNonNull(runtimeRole, "runtimeRole");
    String[] excepted = exceptions.toArray(String[]::new);
    try (Connection c = admin.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // Expressions and names are printed qualified only when their schema is not on the path.
        s.execute("set local search_path = pg_catalog");
      }
      List<TenancyViolation> found = new ArrayList<>();
      tenantTableRules(c, found, schema, runtimeRole, excepted);
      runtimeRoleRules(c, found, schema, ownerRole, runtimeRole, excepted);
      definerRules(c, found, schema, ownerRole, runtimeRole);
      c.rollback();
      c.setAutoCommit(true);
      return List.copyOf(found);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the tenancy rules of schema " + schema, e);
    }
  }

  private static void tenantTableRules(Connection c, List<TenancyViolation> found, String schema, String runtimeRole,
      String[] excepted) throws SQLException {
    add(c, found, Rule.ROW_SECURITY, TENANT_TABLES_CTE + """
        select t.relname, case when not c.relrowsecurity then 'row security is off'
                               when c.relforcerowsecurity then 'row security is forced: the owner''s functions would see no rows'
                               else 'no policy' end
          from tenant_tables t join pg_class c on c.oid = t.oid
         where not c.relrowsecurity or c.relforcerowsecurity
            or not exists (select 1 from pg_policy p where p.polrelid = t.oid)""", schema, excepted);
    add(c, found, Rule.POLICY, TENANT_TABLES_CTE + """
        , expected as (
          select t.oid, t.relname, format('(%s = ( SELECT %s.current_organization_id() AS current_organization_id))',
                                          quote_ident(t.tenant_column), quote_ident(?)) as bare
            from tenant_tables t)
        select e.relname || '.' || p.polname,
               'using ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '-') || ' with check '
               || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '-') || ', not the bare ' || e.bare
          from expected e join pg_policy p on p.polrelid = e.oid
         where (p.polqual is not null and pg_get_expr(p.polqual, p.polrelid) <> e.bare)
            or (p.polwithcheck is not null and pg_get_expr(p.polwithcheck, p.polrelid) <> e.bare)""",
        schema, excepted, schema);
    add(c, found, Rule.TENANT_COLUMN, TENANT_TABLES_CTE + """
        select t.relname, 'its tenant column ' || t.tenant_column || ' takes NULL'
          from tenant_tables t join pg_attribute a on a.attrelid = t.oid and a.attnum = t.tenant_attnum
         where not a.attnotnull
        union all
        select t.relname, 'the runtime role may update its tenant column ' || t.tenant_column
          from tenant_tables t where has_column_privilege(?, t.oid, t.tenant_attnum, 'UPDATE')""",
        schema, excepted, runtimeRole);
    // The root's other unique keys (the slug) are unique across tenants by design: one row per tenant.
    add(c, found, Rule.KEY, TENANT_TABLES_CTE + """
        select t.relname, 'no primary key'
          from tenant_tables t
         where not exists (select 1 from pg_index i where i.indrelid = t.oid and i.indisprimary)
        union all
        select t.relname || '.' || x.relname, 'a unique key without ' || t.tenant_column || ': '
               || pg_get_indexdef(i.indexrelid)
          from tenant_tables t
          join pg_index i on i.indrelid = t.oid and i.indisunique
          join pg_class x on x.oid = i.indexrelid
         where (t.relname <> '%s' or i.indisprimary)
           and not exists (select 1 from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
                            where k.attnum = t.tenant_attnum and k.n <= i.indnkeyatts)""".formatted(ROOT_TABLE),
        schema, excepted);
    add(c, found, Rule.FOREIGN_KEY, TENANT_TABLES_CTE + """
        select s.relname || '.' || k.conname, 'references ' || d.relname || ' without pairing '
               || s.tenant_column || ' with ' || d.tenant_column || ': ' || pg_get_constraintdef(k.oid)
          from pg_constraint k
          join tenant_tables s on s.oid = k.conrelid
          join tenant_tables d on d.oid = k.confrelid
         where k.contype = 'f'
           and not exists (select 1 from unnest(k.conkey, k.confkey) as m(child, parent)
                            where m.child = s.tenant_attnum and m.parent = d.tenant_attnum)""", schema, excepted);
  }

  private static void runtimeRoleRules(Connection c, List<TenancyViolation> found, String schema, String ownerRole,
      String runtimeRole, String[] excepted) throws SQLException {
    add(c, found, Rule.REACHABLE, TENANT_TABLES_CTE + """
        , reached as (
          select c.oid, c.relname, c.relkind, c.relrowsecurity, c.relname = any (?::text[]) as excepted
            from pg_class c
           where c.relnamespace = ?::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f')
             and (has_any_column_privilege(?, c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')
                  or has_table_privilege(?, c.oid, 'DELETE, TRUNCATE, TRIGGER')))
        select r.relname, case r.relkind
                 when 'v' then 'a view that runs as its owner (not security_invoker), so no row security applies through it'
                 when 'm' then 'a materialized view, which row security cannot guard'
                 when 'f' then 'a foreign table, which row security cannot guard'
                 else case when r.excepted then 'a listed exception the runtime role reaches without row security and a policy'
                           else 'neither a tenant table nor a listed exception' end end
          from reached r
         where case r.relkind
                 when 'v' then not exists (select 1 from pg_options_to_table(
                                             (select reloptions from pg_class where oid = r.oid)) o
                                            where o.option_name = 'security_invoker'
                                              and lower(o.option_value) in ('true', 'on', '1', 'yes'))
                 when 'm' then true
                 when 'f' then true
                 else r.oid not in (select oid from tenant_tables)
                      and (not r.excepted or not r.relrowsecurity
                           or not exists (select 1 from pg_policy p where p.polrelid = r.oid)) end
        union all
        select c.relname, 'the runtime role may truncate it, which no row security stops'
          from pg_class c
         where c.relnamespace = ?::regnamespace and c.relkind in ('r', 'p') and has_table_privilege(?, c.oid, 'TRUNCATE')""",
        schema, excepted, excepted, schema, runtimeRole, runtimeRole, schema, runtimeRole);
    add(c, found, Rule.RUNTIME_ROLE, """
        select r.rolname, 'is a superuser or bypasses row security'
          from pg_roles r where r.rolname = ? and (r.rolsuper or r.rolbypassrls)
        union all
        select ?, 'is a member of the owner role ' || ? where pg_has_role(?, ?, 'MEMBER')
        union all
        select ?, 'may create objects in schema ' || ? where has_schema_privilege(?, ?, 'CREATE')
        union all
        select n.nspname, 'the schema is owned by ' || pg_get_userbyid(n.nspowner) || ', not by ' || ?
          from pg_namespace n where n.nspname = ? and pg_get_userbyid(n.nspowner) <> ?
        union all
        select c.relname, 'owned by ' || pg_get_userbyid(c.relowner) || ', which the runtime role is or is a member of'
          from pg_class c where c.relnamespace = ?::regnamespace and pg_has_role(?, c.relowner, 'MEMBER')
        union all
        select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
               'owned by ' || pg_get_userbyid(p.proowner) || ', which the runtime role is or is a member of'
          from pg_proc p where p.pronamespace = ?::regnamespace and pg_has_role(?, p.proowner, 'MEMBER')""",
        runtimeRole, runtimeRole, ownerRole, runtimeRole, ownerRole, runtimeRole, schema, runtimeRole, schema,
        ownerRole, schema, ownerRole, schema, runtimeRole, schema, runtimeRole);
  }

  private static void definerRules(Connection c, List<TenancyViolation> found, String schema, String ownerRole,
      String runtimeRole) throws SQLException {
    // Extension members (pg_trgm's functions may live in the schema) are the extension's business.
    add(c, found, Rule.DEFINER, """
        with definers as (
          select p.oid, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name,
                 pg_get_userbyid(p.proowner) as owner, p.proacl,
                 (select substr(cfg, length('search_path=') + 1) from unnest(p.proconfig) cfg
                   where cfg like 'search_path=%') as path
            from pg_proc p
           where p.pronamespace = ?::regnamespace and p.prosecdef
             and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid
                                                          and d.deptype = 'e')),
        path_entries as (
          select d.name, d.path, trim(both ' "' from e.entry) as entry, e.n,
                 count(*) over (partition by d.oid) as entries
            from definers d cross join lateral unnest(string_to_array(d.path, ',')) with ordinality e(entry, n))
        select name, 'owned by ' || owner || ', not by ' || ? from definers where owner <> ?
        union all
        select name, 'its search_path is not pinned' from definers where path is null
        union all
        select name, 'pg_temp is not last in its search_path (' || path || '): the caller''s temporary objects could come first'
          from path_entries where n = entries and entry <> 'pg_temp'
        union all
        select name, 'its search_path names ' || entry || ', where the runtime role or PUBLIC may create objects'
          from path_entries
         where entry <> 'pg_temp'
           and (entry = '$user'
                or case when exists (select 1 from pg_namespace where nspname = entry)
                        then has_schema_privilege(?, entry, 'CREATE') or has_schema_privilege('public', entry, 'CREATE')
                        else false end)
        union all
        select name, 'PUBLIC may execute it'
          from definers
         where proacl is null
            or exists (select 1 from aclexplode(proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE')""",
        schema, ownerRole, ownerRole, runtimeRole);
  }

  private static void add(Connection c, List<TenancyViolation> found, Rule rule, String sql, Object... parameters)
      throws SQLException {
    for (List<String> row : TenantTables.query(c, sql + " order by 1, 2", parameters)) {
      found.add(new TenancyViolation(row.get(0), rule, row.get(1)));
    }
  }
}
