package io.crmkit.campaigns.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** campaigns and campaign_recipients. SQL in CampaignMapper.xml. */
interface CampaignMapper {
  boolean profileExists(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId);

  boolean activeProfile(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId);

  CampaignRows.CampaignRow insert(@Param("organizationId") UUID organizationId, @Param("row") CampaignRows.NewCampaign row,
      @Param("createdBy") UUID createdBy);

  CampaignRows.CampaignRow find(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  CampaignRows.CampaignRow lock(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  List<CampaignRows.CampaignRow> list(@Param("organizationId") UUID organizationId, @Param("afterAt") Instant afterAt,
      @Param("afterId") UUID afterId, @Param("limit") int limit);

  int delete(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  int addAudienceTag(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("tag") String tag);

  int countRecipients(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("added") int added,
      @Param("skipped") int skipped);

  int changeStatus(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("status") String status,
      @Param("reason") String reason, @Param("scheduledAt") Instant scheduledAt, @Param("now") Instant now);

  List<CampaignRows.CustomerRef> customersByIds(@Param("organizationId") UUID organizationId,
      @Param("ids") List<UUID> ids);

  List<CampaignRows.CustomerRef> customersByPhones(@Param("organizationId") UUID organizationId,
      @Param("phones") List<String> phones);

  List<CampaignRows.CustomerRef> customersByTags(@Param("organizationId") UUID organizationId,
      @Param("tags") List<String> tags);

  List<CampaignRows.Identity> existingIdentities(@Param("organizationId") UUID organizationId,
      @Param("campaignId") UUID campaignId, @Param("phones") List<String> phones,
      @Param("userIds") List<String> userIds, @Param("customerIds") List<UUID> customerIds);

  /** Inserts one recipient per index of the four lists (a null reason: pending). */
  int insertRecipients(@Param("organizationId") UUID organizationId, @Param("campaignId") UUID campaignId,
      @Param("phones") List<String> phones, @Param("userIds") List<String> userIds,
      @Param("customerIds") List<String> customerIds, @Param("reasons") List<String> reasons);

  List<CampaignRows.RecipientRow> recipients(@Param("organizationId") UUID organizationId,
      @Param("campaignId") UUID campaignId, @Param("status") String status, @Param("after") int after,
      @Param("limit") int limit);

  int recentSends(@Param("organizationId") UUID organizationId, @Param("campaignId") UUID campaignId,
      @Param("now") Instant now, @Param("seconds") int seconds);

  int resendUnknown(@Param("organizationId") UUID organizationId, @Param("campaignId") UUID campaignId);

  /** Marks the user's latest campaign message answered; its campaign, or null if none was. */
  UUID replied(@Param("organizationId") UUID organizationId, @Param("phone") String phone,
      @Param("userId") String userId, @Param("at") Instant at);

  List<CampaignRows.ValuesRow> renderValues(@Param("organizationId") UUID organizationId,
      @Param("campaignId") UUID campaignId);

  List<CampaignRows.ValuesRow> taggedValues(@Param("organizationId") UUID organizationId,
      @Param("campaignId") UUID campaignId, @Param("tags") List<String> tags);

  int moveToCustomer(@Param("organizationId") UUID organizationId, @Param("survivor") UUID survivor,
      @Param("duplicate") UUID duplicate);
}
