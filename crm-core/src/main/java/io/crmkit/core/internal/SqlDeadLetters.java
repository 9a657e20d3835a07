package io.crmkit.core.internal;

import io.crmkit.core.DeadLetter;
import io.crmkit.core.DeadLetters;
import io.crmkit.core.Page;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.DeadLetterBox;
import io.crmkit.core.spi.DeadLetterReplayer;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Keyset;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeadLetters} over dead_letters, for one scope; the replay hands an item to the replayer
 * its source's module registered ({@link ModuleRegistry#deadLetterReplayer}).
 */
final class SqlDeadLetters implements DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(SqlDeadLetters.class);
  private static final Role[] READERS = {Role.ADMIN, Role.MANAGER};
  private final SqlTenantScope scope;

  SqlDeadLetters(SqlTenantScope scope) {
    this.scope = scope;
  }

  @Override
  public Page<DeadLetter> list(int limit, Optional<String> cursor) {
    Inputs.pageSize("limit", limit, MAX_PAGE);
    Keyset before = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("deadLetters.list", READERS);
      List<DeadLetter> rows = tx.mapper(DeadLetterMapper.class).page(tx.organizationId(),
          before == null ? null : before.at(), before == null ? null : before.id(), limit + 1).stream()
          .map(DeadLetterRow::toDeadLetter).toList();
      return Keyset.page(rows, limit, DeadLetterRow::position);
    });
  }

  @Override
  public DeadLetter get(UUID id) {
    Objects.requireNonNull(id, "id");
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("deadLetters.get", READERS);
      return found(tx.mapper(DeadLetterMapper.class).find(tx.organizationId(), id), id).toDeadLetter();
    });
  }

  @Override
  public Optional<DeadLetter> replay(UUID id) {
    Objects.requireNonNull(id, "id");
    ModuleRegistry registry = scope.runtime().configuration().registry();
    // Set while the replayer runs: a failure then is the item's, not the call's (a role, a missing letter).
    boolean[] replaying = {false};
    boolean[] joined = {false};
    try {
      TenantWork.call(scope, tx -> {
        tx.requireRole("deadLetters.replay", Role.ADMIN);
        joined[0] = !tx.commitsOnReturn();
        DeadLetterMapper letters = tx.mapper(DeadLetterMapper.class);
        DeadLetterRow letter = found(letters.lock(tx.organizationId(), id), id);
        replaying[0] = true;
        DeadLetterReplayer replayer = registry.deadLetterReplayer(letter.source).orElseThrow(() ->
            new ValidationException("source", "no module of this Crm replays dead letters of " + letter.source));
        replayer.replay(tx, letter.item);
        replaying[0] = false;
        letters.delete(tx.organizationId(), id);
        return null;
      });
      return Optional.empty();
    } catch (RuntimeException e) {
      // Inside the host's transaction the failure has spoiled it: nothing can be counted there.
      if (!replaying[0] || joined[0] || DeadLetterBox.isTransient(e)) {
        throw e;
      }
      log.warn("replaying dead letter {} failed again", id, e);
      String reason = DeadLetterRecords.reason(e);
      return Optional.of(TenantWork.call(scope, tx -> found(tx.mapper(DeadLetterMapper.class)
          .replayFailed(tx.organizationId(), id, reason), id).toDeadLetter()));
    }
  }

  @Override
  public void drop(UUID id) {
    Objects.requireNonNull(id, "id");
    TenantWork.call(scope, tx -> {
      tx.requireRole("deadLetters.drop", Role.ADMIN);
      if (tx.mapper(DeadLetterMapper.class).delete(tx.organizationId(), id) == 0) {
        throw new NotFoundException("dead letter", id);
      }
      return null;
    });
  }

  private static DeadLetterRow found(DeadLetterRow row, UUID id) {
    if (row == null) {
      throw new NotFoundException("dead letter", id);
    }
    return row;
  }
}
