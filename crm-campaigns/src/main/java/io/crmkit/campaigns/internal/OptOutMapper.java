package io.crmkit.campaigns.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** campaign_opt_outs and campaign_settings, and what a send skips for. SQL in OptOutMapper.xml. */
interface OptOutMapper {
  /** An organization's own words. */
  record Words(List<String> optOutWords, List<String> optInWords) {}

  int record(@Param("organizationId") UUID organizationId, @Param("phone") String phone,
      @Param("userId") String userId, @Param("customerId") UUID customerId, @Param("optedOut") boolean optedOut,
      @Param("source") String source, @Param("at") Instant at);

  List<CampaignRows.Identity> optedOutAmong(@Param("organizationId") UUID organizationId,
      @Param("phones") List<String> phones, @Param("userIds") List<String> userIds);

  Words words(@Param("organizationId") UUID organizationId);

  int saveWords(@Param("organizationId") UUID organizationId, @Param("optOut") List<String> optOut,
      @Param("optIn") List<String> optIn);

  CampaignRows.Identity identityOf(@Param("organizationId") UUID organizationId,
      @Param("recipientId") UUID recipientId);

  int skipAtSend(@Param("organizationId") UUID organizationId, @Param("recipientId") UUID recipientId,
      @Param("reason") String reason);

  int countSkipped(@Param("organizationId") UUID organizationId, @Param("campaignId") UUID campaignId);

  /** The organization's customer with this WhatsApp phone, if one. */
  UUID customerOf(@Param("organizationId") UUID organizationId, @Param("phone") String phone);
}
