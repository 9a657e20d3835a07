package io.crmkit.core;

import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** {@link MergeTestModule}'s SQL, in {@code MergeTestMapper.xml} beside it. */
public interface MergeTestMapper {
  void moveDeals(@Param("organizationId") UUID organizationId, @Param("survivor") UUID survivor,
      @Param("duplicate") UUID duplicate);
}
