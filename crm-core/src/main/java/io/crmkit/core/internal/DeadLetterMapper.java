package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** dead_letters: items from outside that failed alone. SQL in DeadLetterMapper.xml. */
interface DeadLetterMapper {
  /** A new letter; null if the source's key has one already (a redelivery of the same item). */
  UUID insert(@Param("organizationId") UUID organizationId, @Param("source") String source, @Param("key") String key,
      @Param("item") JsonNode item, @Param("reason") String reason);

  DeadLetterRow find(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** The letter, locked until the transaction ends: one replay of it at a time. */
  DeadLetterRow lock(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** Letters newest failure first, before the keyset position when given, at most {@code limit}. */
  List<DeadLetterRow> page(@Param("organizationId") UUID organizationId, @Param("beforeAt") Instant beforeAt,
      @Param("beforeId") UUID beforeId, @Param("limit") int limit);

  /** Counts a failed replay with its reason; the letter as it now stands, or null if it is gone. */
  DeadLetterRow replayFailed(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("reason") String reason);

  int delete(@Param("organizationId") UUID organizationId, @Param("id") UUID id);
}
