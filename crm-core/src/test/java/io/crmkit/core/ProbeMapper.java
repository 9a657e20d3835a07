package io.crmkit.core;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** {@link ProbeModule}'s SQL, in {@code ProbeMapper.xml} beside it. */
public interface ProbeMapper {
  String transactionId();

  String tenantSetting();

  /** A sales stage of the transaction's tenant; what {@code insertStage} returns. */
  record Stage(String name, int displayOrder) {}

  List<Stage> insertStage(@Param("name") String name, @Param("divisor") int divisor);

  /** Stages {@code name #0} … {@code name #(count - 1)}, in one statement returning them all. */
  List<Stage> insertStages(@Param("name") String name, @Param("count") int count);
}
