package io.crmkit.whatsapp.internal;

import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** whatsapp_contacts: a WhatsApp user of a profile. SQL in ContactMapper.xml. */
interface ContactMapper {
  /** The profile's contact with this business-scoped user id, locked. */
  ContactRow findByBsuid(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("bsuid") String bsuid);

  /** The profile's contact that had this business-scoped user id before a change, locked. */
  ContactRow findByPreviousBsuid(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("bsuid") String bsuid);

  /** The profile's contact with this phone, locked. */
  ContactRow findByPhone(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("phone") String phone);

  /** A contact, unlocked. */
  ContactRow find(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** A new contact; null if a concurrent delivery created one with its identity first. */
  UUID insert(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("bsuid") String bsuid, @Param("phone") String phone, @Param("username") String username,
      @Param("name") String name);

  /**
   * Fills in the identity the contact lacks, unless another contact of the profile holds it, and
   * takes a newer username and name.
   */
  int complete(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("bsuid") String bsuid,
      @Param("phone") String phone, @Param("username") String username, @Param("name") String name);

  /** Another contact of the contact's profile with this business-scoped id ({@code bsuid}) or else phone. */
  UUID holderOther(@Param("organizationId") UUID organizationId, @Param("contactId") UUID contactId,
      @Param("bsuid") String bsuid, @Param("phone") String phone);

  /** Moves the contact to a new identity, keeping the id it had as previous_bsuid (null keeps the one stored). */
  int changeIdentity(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("bsuid") String bsuid, @Param("phone") String phone, @Param("previousBsuid") String previousBsuid);

  /** The contact's customer, or null. */
  UUID customerOf(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  int linkCustomer(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("customerId") UUID customerId);

  /** Links the contacts of customer {@code from} to customer {@code to} (a merge). */
  int moveToCustomer(@Param("organizationId") UUID organizationId, @Param("from") UUID from, @Param("to") UUID to);
}
