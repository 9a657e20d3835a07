package io.crmkit.testdb;

import java.util.Objects;

/**
 * One breach of the foundation's tenancy rules, found by {@link TenancyCatalog} in the catalog or
 * by {@link TenancyAttack} as the runtime role.
 *
 * @param object the table, or {@code table.constraint}, {@code table.policy}, {@code function(args)}
 *     for what belongs to one; names are unqualified (all are in the schema checked)
 * @param rule the rule it breaks
 * @param detail what was found, in words a reviewer can act on
 */
public record TenancyViolation(String object, Rule rule, String detail) {
  /** The rules, each a short sentence of what must hold. */
  public enum Rule {
    /** A tenant table has row security on, not forced, and at least one policy. */
    ROW_SECURITY("a tenant table has row security on, not forced, with a policy"),
    /** Every policy of a tenant table is the bare equality with the transaction's tenant. */
    POLICY("every policy is the bare equality tenant = (select current_organization_id())"),
    /** The tenant column is NOT NULL and the runtime role may not update it. */
    TENANT_COLUMN("the tenant column is NOT NULL and the runtime role cannot update it"),
    /** A tenant table has a primary key, and the tenant column is in it and in every unique key. */
    KEY("the tenant column is in the primary key and every unique key"),
    /** A foreign key between tenant tables maps the child's tenant column to the parent's. */
    FOREIGN_KEY("a foreign key between tenant tables is composite: child tenant to parent tenant"),
    /**
     * The runtime role reaches no table that is neither a tenant table nor a listed exception, no
     * view that runs as its owner, no materialized view, and may truncate nothing.
     */
    REACHABLE("the runtime role reaches only tenant tables and listed exceptions, through RLS"),
    /** The runtime role owns nothing, creates nothing in the schema, and neither bypasses RLS nor is a superuser. */
    RUNTIME_ROLE("the runtime role owns nothing, creates nothing and is subject to RLS"),
    /**
     * A SECURITY DEFINER function is owned by the owner role, pins a search_path that ends in
     * pg_temp and names no schema the runtime role or PUBLIC can create in, and PUBLIC cannot execute it.
     */
    DEFINER("a definer function is the owner's, with a pinned search_path and no EXECUTE for PUBLIC"),
    /** Tenant A has a row in every tenant table, so that the attack tries every table. */
    FIXTURE("tenant A has a row in every tenant table"),
    /** Without a tenant nothing is visible; as tenant B none of A's rows is. */
    READ("no tenant sees nothing, tenant B sees none of A's rows"),
    /** Tenant B updates none of A's rows. */
    UPDATE("tenant B updates none of A's rows"),
    /** Tenant B deletes none of A's rows. */
    DELETE("tenant B deletes none of A's rows"),
    /** Tenant B cannot insert a row that references a row of A. */
    REFERENCE("tenant B cannot reference a row of A"),
    /** A's rows are the same after the attack as before it. */
    UNCHANGED("A's rows are the same after the attack");

    private final String description;

    Rule(String description) {
      this.description = description;
    }

    /** What the rule asks, in one line. */
    public String description() {
      return description;
    }
  }

  /** Creates a violation. */
  public TenancyViolation {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(detail, "detail");
  }

  /** {@code object: detail (rule)}, one line. */
  @Override
  public String toString() {
    return object + ": " + detail + " (" + rule + ": " + rule.description() + ")";
  }
}
