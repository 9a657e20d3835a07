package io.crmkit.campaigns.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** The runner's statements: the claim across tenants, then each send in its tenant. SQL in RunnerMapper.xml. */
interface RunnerMapper {
  List<RunnerRows.Claimed> claim(@Param("lease") UUID lease, @Param("leaseSeconds") int leaseSeconds,
      @Param("max") int max, @Param("now") Instant now);

  List<RunnerRows.Claimed> sweep(@Param("now") Instant now);

  List<RunnerRows.Claimed> dueScheduled(@Param("max") int max, @Param("now") Instant now);

  RunnerRows.SendContext sendContext(@Param("organizationId") UUID organizationId,
      @Param("recipientId") UUID recipientId, @Param("lease") UUID lease, @Param("now") Instant now);

  int release(@Param("organizationId") UUID organizationId, @Param("recipientId") UUID recipientId,
      @Param("lease") UUID lease);

  int markSending(@Param("organizationId") UUID organizationId, @Param("recipientId") UUID recipientId,
      @Param("lease") UUID lease, @Param("attemptId") UUID attemptId, @Param("leaseSeconds") int leaseSeconds,
      @Param("now") Instant now);

  RunnerRows.AttemptState attemptStatus(@Param("organizationId") UUID organizationId, @Param("recipientId") UUID recipientId,
      @Param("attemptId") UUID attemptId);

  /** The outcome, its result row and the campaign's counts; what is left, and the failures in a row. */
  RunnerRows.Recorded recordOutcome(@Param("organizationId") UUID organizationId, @Param("campaignId") UUID campaignId,
      @Param("recipientId") UUID recipientId, @Param("attemptId") UUID attemptId, @Param("status") String status,
      @Param("resultStatus") String resultStatus, @Param("waMessageId") String waMessageId,
      @Param("errorCode") Integer errorCode, @Param("errorMessage") String errorMessage,
      @Param("backoffSeconds") Integer backoffSeconds, @Param("sent") int sent, @Param("failed") int failed,
      @Param("unknown") int unknown, @Param("handled") int handled, @Param("bad") int bad,
      @Param("now") Instant now);

  int completeIfDone(@Param("organizationId") UUID organizationId, @Param("campaignId") UUID campaignId,
      @Param("now") Instant now);

  RunnerRows.Delivery deliveryOf(@Param("organizationId") UUID organizationId, @Param("attemptId") UUID attemptId);

  int settle(@Param("organizationId") UUID organizationId, @Param("recipientId") UUID recipientId,
      @Param("status") String status, @Param("waMessageId") String waMessageId, @Param("errorCode") Integer errorCode,
      @Param("errorMessage") String errorMessage, @Param("deliveredAt") Instant deliveredAt,
      @Param("readAt") Instant readAt, @Param("sentAt") Instant sentAt);

  int countDelivery(@Param("organizationId") UUID organizationId, @Param("campaignId") UUID campaignId,
      @Param("sent") int sent, @Param("failed") int failed, @Param("unknown") int unknown,
      @Param("handled") int handled, @Param("delivered") int delivered, @Param("read") int read);

  int pause(@Param("organizationId") UUID organizationId, @Param("campaignId") UUID campaignId,
      @Param("reason") String reason);

  RunnerRows.ProfileLimits profileLimits(@Param("organizationId") UUID organizationId,
      @Param("profileId") UUID profileId);

  int setProfileLimits(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("messagesPerSecond") int messagesPerSecond, @Param("dailyUsers") Integer dailyUsers);

  /** The profile's users of {@code day} after one more, or null if that passes {@code limit}. */
  Integer takeDailyUser(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("day") LocalDate day, @Param("limit") int limit);

  int giveBackDailyUser(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("day") LocalDate day);

  RunnerRows.Recent recentFailures(@Param("organizationId") UUID organizationId, @Param("campaignId") UUID campaignId,
      @Param("last") int last);

  /** The profile waits after WhatsApp's rate limit; until when. */
  Instant backOffProfile(@Param("organizationId") UUID organizationId, @Param("profileId") UUID profileId,
      @Param("now") Instant now);

  int waitUntil(@Param("organizationId") UUID organizationId, @Param("campaignId") UUID campaignId,
      @Param("until") Instant until, @Param("reason") String reason);
}
