package io.crmkit.campaigns;

import io.crmkit.core.Page;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * An organization's campaigns, reached from a scope: {@code scope.service(CampaignService.class)}.
 * Admins and managers create and run campaigns; every member reads them.
 *
 * <pre>{@code
 * CampaignService campaigns = acme.service(CampaignService.class);
 * Campaign offer = campaigns.create(CampaignDraft.builder("Spring offer", profileId, CampaignContent.template(
 *     "spring_offer", "ar", List.of(TemplateComponent.body(List.of(TemplateParameter.of("{{first_name|عميلنا}}")))))).build());
 * campaigns.addRecipients(offer.id(), RecipientSelection.tag("vip"));
 * campaigns.schedule(offer.id(), Instant.parse("2026-12-10T07:00:00Z"));  // every message rendered now
 * }</pre>
 *
 * <p>Content and recipients change only while the campaign is a draft. {@link #schedule} and
 * {@link #start} render every recipient's message first: an unknown placeholder, a value that is
 * empty without a fallback or too long, is a {@link ValidationException} naming it, and nothing
 * changes. A completed or stopped campaign is read-only. Scheduling or starting a draft needs the
 * plan's {@code bulk_sender} feature and takes one of the month's {@code max_campaigns_per_month}
 * (in the organization's time zone). A running campaign whose plan loses {@code bulk_sender} (a
 * downgrade) pauses at its next send, saying why; it resumes only on a plan that has it again.
 */
public interface CampaignService {
  /** The most recipients one {@link #addRecipients} call takes. */
  int MAX_SELECTION = 10_000;

  /** The most campaigns or recipients in one page. */
  int MAX_PAGE = 200;

  /**
   * Creates a draft campaign.
   *
   * @throws ValidationException for a bad name, pause, template, text or placeholder, or a profile
   *     that is not an active one of this organization (named {@code profileId})
   * @throws ForbiddenException unless the actor is an admin or a manager
   */
  Campaign create(CampaignDraft draft);

  /** The campaign, if this organization has it. */
  Optional<Campaign> get(UUID campaignId);

  /**
   * The campaigns, newest first, {@code limit} (1 to {@value #MAX_PAGE}) at a time.
   *
   * @throws ValidationException for a bad limit or a cursor that is not one of ours
   */
  Page<Campaign> list(int limit, Optional<String> cursor);

  /**
   * Adds recipients to a draft campaign, one per WhatsApp identity: an identity it already has, or
   * that the selection names twice, is added once.
   *
   * @throws ValidationException for more than {@value #MAX_SELECTION} entries, or entries that are
   *     not text of one line (phones, user ids, the tag)
   * @throws NotFoundException if the organization has no such campaign
   * @throws ConflictException if the campaign is no longer a draft
   */
  RecipientReport addRecipients(UUID campaignId, RecipientSelection selection);

  /**
   * The campaign's recipients in their order, {@code limit} (1 to {@value #MAX_PAGE}) at a time.
   *
   * @throws ValidationException for a bad limit or a cursor that is not one of ours
   * @throws NotFoundException if the organization has no such campaign
   */
  Page<CampaignRecipient> recipients(UUID campaignId, int limit, Optional<String> cursor);

  /**
   * The campaign's recipients of one status in their order, e.g. its failures with WhatsApp's codes
   * and reasons: {@code recipients(id, RecipientStatus.FAILED, 50, Optional.empty())}.
   *
   * @throws ValidationException for a bad limit or a cursor that is not one of ours
   * @throws NotFoundException if the organization has no such campaign
   */
  Page<CampaignRecipient> recipients(UUID campaignId, RecipientStatus status, int limit, Optional<String> cursor);

  /**
   * Where the campaign stands: its counts, its rate over the last minute and when it should finish.
   *
   * @throws NotFoundException if the organization has no such campaign
   */
  CampaignProgress progress(UUID campaignId);

  /**
   * Schedules a draft to start by itself at {@code at}, after rendering every recipient's message
   * (the tags' customers as they are now).
   *
   * @throws ValidationException if {@code at} is not in the future (within a year), the campaign has
   *     no one to send to, or a message does not render
   * @throws ConflictException if it is not a draft
   * @throws LimitExceededException at the month's {@code max_campaigns_per_month}
   * @throws io.crmkit.core.exception.FeatureNotInPlanException if the plan has no {@code bulk_sender}
   */
  Campaign schedule(UUID campaignId, Instant at);

  /**
   * Schedules a draft for a time on the organization's clock, in its time zone: {@code 09:00} is
   * nine in the morning where the organization is. A time that does not exist there (a daylight
   * saving gap) moves forward by the gap; one that occurs twice is the first.
   *
   * @throws ValidationException, ConflictException, LimitExceededException, FeatureNotInPlanException as
   *     {@link #schedule(UUID, Instant)}
   */
  Campaign schedule(UUID campaignId, LocalDateTime at);

  /**
   * Starts a draft or scheduled campaign now: its tags' customers become recipients, and every
   * message is rendered first.
   *
   * @throws ValidationException if it has no one to send to, or a message does not render
   * @throws ConflictException if it is neither a draft nor scheduled
   * @throws LimitExceededException at the month's {@code max_campaigns_per_month} (a draft only)
   * @throws io.crmkit.core.exception.FeatureNotInPlanException if the plan has no {@code bulk_sender} (a draft only)
   */
  Campaign start(UUID campaignId);

  /**
   * Pauses a running campaign; sends in flight finish.
   *
   * @throws ConflictException if it is not running
   */
  Campaign pause(UUID campaignId);

  /**
   * Resumes a paused campaign where it stopped.
   *
   * @throws ConflictException if it is not paused
   * @throws io.crmkit.core.exception.FeatureNotInPlanException if the plan has no {@code bulk_sender}
   */
  Campaign resume(UUID campaignId);

  /**
   * Ends a scheduled, running or paused campaign for good; recipients not yet sent to get nothing.
   *
   * @throws ConflictException if it is a draft (delete it instead), completed or stopped
   */
  Campaign stop(UUID campaignId);

  /**
   * Sends once more to the recipients whose outcome is unknown and that no status has settled (a
   * timeout, a 5xx, a runner that died mid-send): the operator's choice, as a user may get the
   * message twice. A completed campaign with any runs again; the only change a completed one takes.
   *
   * @throws ConflictException if the campaign is a draft, scheduled or stopped
   * @throws ForbiddenException unless the actor is an admin or a manager
   */
  Campaign resendUnknown(UUID campaignId);

  /** The words that opt a user out of campaigns, or back in, when they are all the user writes. */
  OptOutWords optOutWords();

  /**
   * Sets the organization's own opt-out and opt-in words. A user's word is recorded with its time
   * and source, and an opted-out user is skipped when added to a campaign and again before each
   * send; WhatsApp refusing a send because the user stopped marketing messages (131050) opts them
   * out too.
   *
   * @throws ValidationException for words that are not one line of 1 to 64 characters, more than
   *     20 of either, or a word in both
   * @throws ForbiddenException unless the actor is an admin
   */
  OptOutWords setOptOutWords(OptOutWords words);

  /**
   * The sending limits of one of the organization's WhatsApp profiles ({@link SendingLimits#DEFAULT}
   * until set).
   *
   * @throws NotFoundException if the organization has no such profile
   */
  SendingLimits sendingLimits(UUID profileId);

  /**
   * Sets a profile's sending limits; runners follow them from their next claim.
   *
   * @throws NotFoundException if the organization has no such profile
   * @throws ForbiddenException unless the actor is an admin
   */
  SendingLimits setSendingLimits(UUID profileId, SendingLimits limits);

  /**
   * Deletes a draft campaign and its recipients.
   *
   * @throws ConflictException if it is not a draft
   */
  void delete(UUID campaignId);
}
