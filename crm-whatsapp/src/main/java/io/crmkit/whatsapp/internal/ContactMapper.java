package io.crmkit.whatsapp.internal;

import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** whatsapp_contacts: a WhatsApp user of a profile. SQL in ContactMapper.xml. */
interface ContactMapper {
  /** Links the contacts of customer {@code from} to customer {@code to} (a merge). */
  int moveToCustomer(@Param("organizationId") UUID organizationId, @Param("from") UUID from, @Param("to") UUID to);
}
