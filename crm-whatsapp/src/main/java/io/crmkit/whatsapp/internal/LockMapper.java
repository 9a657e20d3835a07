package io.crmkit.whatsapp.internal;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Transaction-level advisory locks on names (a wamid, a user's identity). SQL in LockMapper.xml. */
interface LockMapper {
  /**
   * Takes a lock on each key, in the keys' order (sorted in SQL too), held until the transaction
   * ends: deliveries and sends naming the same message or user take their turns.
   */
  int lock(@Param("keys") List<String> keys);
}
