package io.crmkit.whatsapp;

/**
 * The channel to WhatsApp: sends messages and read receipts for one business phone number at a
 * time. {@link io.crmkit.whatsapp.cloudapi.CloudApiGateway} is the real one,
 * {@link io.crmkit.whatsapp.testing.FakeWhatsAppGateway} records for tests;
 * hosts may bring their own (a BSP's API, a proxy).
 *
 * <p>Implementations return failures as {@link SendResult}s rather than throwing, are
 * thread-safe, and are never called inside a database transaction.
 */
public interface WhatsAppGateway {

  /** Sends {@code message} from {@code sender}'s number. */
  SendResult send(WhatsAppSender sender, OutgoingMessage message);

  /**
   * Sends {@code message} with a tag that WhatsApp gives back in the message's status callbacks
   * (the Cloud API's {@code biz_opaque_callback_data}). CRMKit tags each reply, so a reply whose
   * answer was lost ({@link SendResult.Unknown}) or was a server error
   * ({@link SendFailure.Kind#PROVIDER_ERROR}) is matched to its statuses and settles without
   * being sent again. The default sends without the tag; such replies then stay unknown.
   *
   * @param tag up to 512 characters
   */
  default SendResult send(WhatsAppSender sender, OutgoingMessage message, String tag) {
    return send(sender, message);
  }

  /**
   * Marks an inbound message read (the user sees blue ticks).
   *
   * @param providerMessageId the inbound message's WhatsApp id ({@code wamid.…})
   * @return {@link SendResult.Accepted} with that same id, or why not
   */
  SendResult markRead(WhatsAppSender sender, String providerMessageId);

  /**
   * Whether {@code sender}'s access token can use its phone number id. CRMKit routes a number's
   * webhooks to a profile only on this answering {@link NumberCheck#OWNED} for its current token,
   * so no tenant claims another's number by typing its id; when two organizations prove one number,
   * the holder's token is asked about again. Anything but a clear answer must be
   * {@link NumberCheck#UNKNOWN}: {@link NumberCheck#NOT_OWNED} can move a number to another tenant.
   */
  NumberCheck verifyNumber(WhatsAppSender sender);

  /** Receives fetched media. */
  @FunctionalInterface
  interface MediaSink {
    /** Takes the media's bytes, read to the end before returning. */
    void accept(String mimeType, java.io.InputStream content) throws java.io.IOException;
  }

  /** What became of a media fetch. */
  enum MediaFetch {
    /** The sink took the bytes. */
    FETCHED,
    /** The provider no longer has it (expired or deleted): fetching again will not help. */
    GONE,
    /** It could not be fetched now; try later. */
    FAILED
  }

  /** Fetches inbound media by the id the webhook named, into {@code sink}. */
  MediaFetch fetchMedia(WhatsAppSender sender, String mediaId, MediaSink sink);
}
