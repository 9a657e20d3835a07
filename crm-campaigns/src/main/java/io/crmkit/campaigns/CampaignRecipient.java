package io.crmkit.campaigns;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One recipient of a campaign.
 *
 * @param id its id
 * @param position its place in the campaign's order, from 1
 * @param phone its WhatsApp phone in E.164, or the number as written when it is not one
 * @param userId its business-scoped user id, for a user known only by a username
 * @param customerId the customer it reaches and takes its values from
 * @param status where it is
 * @param skipReason why it gets nothing, if skipped
 * @param errorCode WhatsApp's error code of its last failed attempt (131026, say)
 * @param error the reason of its last failure, or why its outcome is unknown
 * @param sentAt when WhatsApp took its message
 * @param deliveredAt when WhatsApp reported it delivered
 * @param readAt when WhatsApp reported it read
 * @param repliedAt when the user first wrote back, within three days
 */
public record CampaignRecipient(UUID id, int position, Optional<String> phone, Optional<String> userId,
    Optional<UUID> customerId, RecipientStatus status, Optional<SkipReason> skipReason, Optional<Integer> errorCode,
    Optional<String> error, Optional<Instant> sentAt, Optional<Instant> deliveredAt, Optional<Instant> readAt,
    Optional<Instant> repliedAt) {}
