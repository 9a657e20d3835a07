package io.crmkit.core;

import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** {@link LetterTestModule}'s SQL, in {@code LetterTestMapper.xml} beside it. */
public interface LetterTestMapper {
  /** A sales stage named {@code name}; a unique violation if the tenant has one. */
  int insertStage(@Param("organizationId") UUID organizationId, @Param("name") String name);
}
