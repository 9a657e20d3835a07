package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.Actor;
import io.crmkit.core.spi.Json;
import io.crmkit.core.users.Role;
import java.util.Map;
import java.util.UUID;

/**
 * Who acts on customers through a scope, as every customer class needs it: the call's
 * transaction, whether the actor may write, and the timeline entries the actor's changes log.
 */
final class CustomerActor {
  /** The usage counter that holds max_customers: a running total. */
  static final String CUSTOMERS = "customers";
  /** Members who create and change customers; a system actor always may. */
  private static final Role[] WRITERS = {Role.ADMIN, Role.MANAGER, Role.AGENT};

  private final SqlTenantScope scope;

  CustomerActor(SqlTenantScope scope) {
    this.scope = scope;
  }

  SqlTenantScope scope() {
    return scope;
  }

  Actor actor() {
    return scope.actor();
  }

  /** Runs one service call in the scope's transaction, as {@link SqlTenantScope#call} does. */
  <R> R call(TxWork<R, RuntimeException> work) {
    return scope.call(work);
  }

  /** Throws unless the actor is a system actor or a member who may write customers. */
  void requireWriter(Tx tx, String operation) {
    if (scope.actor() instanceof Actor.Member) {
      tx.requireRole(scope.actor(), operation, WRITERS);
    }
  }

  /** Logs an activity of {@code customerId}, performed by the actor. */
  Rows.ActivityRow log(Tx tx, UUID customerId, String type, String description, Map<String, Object> metadata) {
    return log(tx, customerId, type, description, Json.fromMap(metadata));
  }

  /** Logs an activity of {@code customerId} with metadata already checked as JSON, performed by the actor. */
  Rows.ActivityRow log(Tx tx, UUID customerId, String type, String description, JsonNode metadata) {
    Performer by = Performer.of(scope.actor());
    return tx.mapper(CustomerMapper.class).insertActivity(tx.organizationId(), customerId, type, description,
        by.member(), by.system(), metadata);
  }
}
