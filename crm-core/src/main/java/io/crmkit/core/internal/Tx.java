package io.crmkit.core.internal;

import io.crmkit.core.Actor;
import io.crmkit.core.AfterCommit;
import io.crmkit.core.Crm;
import io.crmkit.core.CrmEvent;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.NotMemberException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.users.Role;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ibatis.session.SqlSession;

/**
 * One open transaction: its connection, MyBatis session, tenant (null for platform and
 * cross-tenant work) and the effects waiting for its commit. Confined to one thread.
 */
final class Tx {
  private final CrmRuntime runtime;
  private final UUID organizationId;
  private final Connection connection;
  private final SqlSession session;
  private final boolean joined;
  private final AfterCommit hostAfterCommit;
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final Map<Actor, Role> verified = new HashMap<>();
  private final Instant now;
  private final Thread thread = Thread.currentThread();
  private volatile boolean closed;
  private boolean committed;

  Tx(CrmRuntime runtime, UUID organizationId, Connection connection, SqlSession session, boolean joined,
      AfterCommit hostAfterCommit) {
    this.runtime = runtime;
    this.organizationId = organizationId;
    this.connection = connection;
    this.session = session;
    this.joined = joined;
    this.hostAfterCommit = hostAfterCommit;
    this.now = runtime.configuration().clock().instant();
  }

  /** The tenant of this transaction; throws if it has none. */
  UUID organizationId() {
    if (organizationId == null) {
      throw new TenantContextException("no tenant in this transaction");
    }
    return organizationId;
  }

  /** Marks the transaction ended; a scope bound to it refuses further calls. */
  void close() {
    closed = true;
  }

  /**
   * Throws unless this transaction is still open and the caller is its thread: calls on the scope
   * a transaction callback was given must not escape into another transaction.
   */
  void requireUsable() {
    if (closed) {
      throw new TenantContextException("the transaction this scope was bound to has ended; use the scope outside the"
          + " callback (each call is then its own transaction)");
    }
    if (Thread.currentThread() != thread) {
      throw new TenantContextException("the transaction scope was used from another thread; a transaction belongs"
          + " to the thread that runs its callback");
    }
  }

  boolean hasTenant() {
    return organizationId != null;
  }

  /** A mapper bound to this transaction's session. */
  <T> T mapper(Class<T> type) {
    requireNotCommitted();
    return session.getMapper(type);
  }

  /** The MyBatis configuration the session's mappers come from. */
  org.apache.ibatis.session.Configuration configuration() {
    return session.getConfiguration();
  }

  /** The connection, for modules' plain JDBC (already in the transaction, tenant set). */
  Connection connection() {
    requireNotCommitted();
    return connection;
  }

  /** Whether this transaction is CRMKit's own, not the host's it joined. */
  boolean owned() {
    return !joined;
  }

  /**
   * Marks the transaction committed by its last statement, sent with its COMMIT (see
   * {@code TenantTransaction.queryAndCommit}): the runtime then sends no COMMIT of its own, and any
   * further statement is refused.
   */
  void committedInline() {
    committed = true;
  }

  /** Whether {@link #committedInline} happened. */
  boolean committed() {
    return committed;
  }

  private void requireNotCommitted() {
    if (committed) {
      throw new IllegalStateException("this transaction has committed with its last statement; nothing more can run"
          + " in it");
    }
  }

  /**
   * Now, by the {@code Crm}'s clock, read once when the transaction began: every check and write
   * of one transaction (expiry, sweep, count) agrees on the same instant.
   */
  Instant now() {
    return now;
  }

  CrmRuntime runtime() {
    return runtime;
  }

  /**
   * The actor's role in this organization, checked once per transaction: a member must be active,
   * a system actor has no role (null).
   *
   * @throws NotMemberException if the member is unknown or deactivated
   */
  Role roleOf(Actor actor) {
    if (actor instanceof Actor.System) {
      return null;
    }
    Role role = verified.get(actor);
    if (role == null) {
      UUID userId = ((Actor.Member) actor).userId();
      role = mapper(TenantMapper.class).activeMemberRole(organizationId(), userId);
      if (role == null) {
        throw new NotMemberException(organizationId(), userId);
      }
      verified.put(actor, role);
    }
    return role;
  }

  /** Forgets what this transaction knows of a user's role, after changing it. */
  void forget(UUID userId) {
    verified.remove(new Actor.Member(userId));
  }

  /**
   * Throws {@link ForbiddenException} unless the actor is a member with one of {@code roles}.
   * Reads the role afresh (never from this transaction's cache): call it after taking the
   * organization's lock, so a demotion committed while this transaction waited is seen.
   */
  Role requireRole(Actor actor, String operation, Role... roles) {
    verified.remove(actor);
    return requireRoleAsRead(actor, operation, roles);
  }

  /**
   * Like {@link #requireRole} with the role this transaction has read already, if it has: right
   * only when nothing was locked or waited for since that read.
   */
  Role requireRoleAsRead(Actor actor, String operation, Role... roles) {
    Role role = roleOf(actor);
    if (role != null) {
      for (Role allowed : roles) {
        if (allowed == role) {
          return role;
        }
      }
    }
    throw new ForbiddenException(operation, actor);
  }

  /**
   * Refuses, before anything is written, work whose events could not wait for the commit: a
   * joined transaction without the host's {@link AfterCommit} while listeners are registered.
   */
  void requireCommitHookForEvents() {
    if (joined && hostAfterCommit == null && runtime.events().hasListeners()) {
      throw new TenantContextException("this call publishes events after commit, but the scope joined the host's"
          + " transaction without an AfterCommit hook; use TenantScope.joining(connection, afterCommit)");
    }
  }

  /** Delivers {@code event} to the listeners once this transaction commits. */
  void publish(CrmEvent event) {
    if (!runtime.events().hasListeners()) {
      return;
    }
    requireCommitHookForEvents();
    afterCommit(() -> runtime.events().deliver(event));
  }

  /** Runs {@code action} once this transaction has committed; never if it rolls back. */
  void afterCommit(Runnable action) {
    if (joined) {
      if (hostAfterCommit == null) {
        throw new TenantContextException("the scope joined the host's transaction without an AfterCommit hook");
      }
      hostAfterCommit.register(action);
    } else {
      afterCommit.add(action);
    }
  }

  List<Runnable> committedActions() {
    return afterCommit;
  }
}
