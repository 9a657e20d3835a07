package io.crmkit.whatsapp.testing;

import io.crmkit.whatsapp.NumberCheck;
import io.crmkit.whatsapp.OutgoingMessage;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppSender;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link WhatsAppGateway} for tests, examples and hosts' own tests: records what was sent and
 * accepts it with ids {@code wamid.fake.1}, {@code wamid.fake.2}, …, unless results were queued
 * with {@link #thenAnswer}. Thread-safe.
 *
 * <pre>{@code
 * FakeWhatsAppGateway whatsapp = new FakeWhatsAppGateway();
 * Crm crm = Crm.builder()…module(WhatsAppModule.builder().sessionKeys(keys).gateway(whatsapp).build()).build();
 * whatsapp.thenAnswer(new SendResult.Failed(new SendFailure(SendFailure.Kind.RATE_LIMITED, 130429, "slow down")));
 * // … code under test sends …
 * assertThat(whatsapp.sent()).extracting(FakeWhatsAppGateway.Sent::message).containsExactly(…);
 * }</pre>
 */
public final class FakeWhatsAppGateway implements WhatsAppGateway {

  /**
   * One call the fake received.
   *
   * @param phoneNumberId the sender's phone number id
   * @param message what was sent
   * @param tag the tag it was sent with (see {@link WhatsAppGateway#send(WhatsAppSender, OutgoingMessage, String)})
   * @param result what the fake answered
   */
  public record Sent(String phoneNumberId, OutgoingMessage message, Optional<String> tag, SendResult result) {}

  /**
   * One read receipt the fake received.
   *
   * @param phoneNumberId the sender's phone number id
   * @param providerMessageId the message marked read
   */
  public record ReadReceipt(String phoneNumberId, String providerMessageId) {}

  private final List<Sent> sent = new ArrayList<>();
  private final List<ReadReceipt> readReceipts = new ArrayList<>();
  private final List<WhatsAppSender> verified = new ArrayList<>();
  private final Deque<SendResult> queued = new ArrayDeque<>();
  private final java.util.Set<String> notOwned = new java.util.HashSet<>();
  private final java.util.Map<String, java.util.Set<String>> holders = new java.util.HashMap<>();
  private final Deque<NumberCheck> checks = new ArrayDeque<>();
  private final java.util.Map<String, Object[]> media = new java.util.HashMap<>();
  private final java.util.Deque<MediaFetch> mediaFailures = new ArrayDeque<>();
  private long next;

  /** Queues the answer for the next send, before the default acceptance; several queue in order. */
  public synchronized FakeWhatsAppGateway thenAnswer(SendResult result) {
    queued.addLast(Objects.requireNonNull(result, "result"));
    return this;
  }

  @Override
  public SendResult send(WhatsAppSender sender, OutgoingMessage message) {
    return record(sender, message, Optional.empty());
  }

  @Override
  public SendResult send(WhatsAppSender sender, OutgoingMessage message, String tag) {
    return record(sender, message, Optional.of(Objects.requireNonNull(tag, "tag")));
  }

  private synchronized SendResult record(WhatsAppSender sender, OutgoingMessage message, Optional<String> tag) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(message, "message");
    SendResult result = !canUse(sender) ? new SendResult.Failed(new SendFailure(SendFailure.Kind.AUTHENTICATION, 190,
        "this access token cannot use phone number id " + sender.phoneNumberId()))
        : queued.isEmpty() ? new SendResult.Accepted("wamid.fake." + ++next) : queued.removeFirst();
    sent.add(new Sent(sender.phoneNumberId(), message, tag, result));
    return result;
  }

  @Override
  public synchronized SendResult markRead(WhatsAppSender sender, String providerMessageId) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(providerMessageId, "providerMessageId");
    readReceipts.add(new ReadReceipt(sender.phoneNumberId(), providerMessageId));
    return new SendResult.Accepted(providerMessageId);
  }

  /** Makes {@link #verifyNumber} answer {@link NumberCheck#NOT_OWNED} for this phone number id (every other is owned). */
  public synchronized FakeWhatsAppGateway notOwned(String phoneNumberId) {
    notOwned.add(Objects.requireNonNull(phoneNumberId, "phoneNumberId"));
    return this;
  }

  /**
   * Makes the number usable only with these access tokens, as when it belongs to the WhatsApp
   * Business account they were issued for: {@link #verifyNumber} answers
   * {@link NumberCheck#NOT_OWNED} for any other token, and sends with another token fail as
   * {@link SendFailure.Kind#AUTHENTICATION}. Called again, it moves the number (to no token at all
   * when given none). Numbers never named here are usable with any token.
   */
  public synchronized FakeWhatsAppGateway usableOnlyWith(String phoneNumberId, String... accessTokens) {
    holders.put(Objects.requireNonNull(phoneNumberId, "phoneNumberId"), java.util.Set.of(accessTokens));
    return this;
  }

  /** Queues the answer for the next {@link #verifyNumber} (e.g. {@link NumberCheck#UNKNOWN}); several queue in order. */
  public synchronized FakeWhatsAppGateway thenCheck(NumberCheck answer) {
    checks.addLast(Objects.requireNonNull(answer, "answer"));
    return this;
  }

  @Override
  public synchronized NumberCheck verifyNumber(WhatsAppSender sender) {
    Objects.requireNonNull(sender, "sender");
    verified.add(sender);
    if (!checks.isEmpty()) {
      return checks.removeFirst();
    }
    return notOwned.contains(sender.phoneNumberId()) || !canUse(sender) ? NumberCheck.NOT_OWNED : NumberCheck.OWNED;
  }

  private boolean canUse(WhatsAppSender sender) {
    java.util.Set<String> tokens = holders.get(sender.phoneNumberId());
    return tokens == null || tokens.contains(sender.accessToken());
  }

  /** Every sender {@link #verifyNumber} was asked about so far, in order. */
  public synchronized List<WhatsAppSender> verified() {
    return List.copyOf(verified);
  }

  /** Makes media with this id fetchable, with these bytes. */
  public synchronized FakeWhatsAppGateway media(String mediaId, String mimeType, byte[] bytes) {
    media.put(Objects.requireNonNull(mediaId, "mediaId"), new Object[] {mimeType, bytes.clone()});
    return this;
  }

  /** Makes the next media fetch answer this instead (e.g. {@link MediaFetch#FAILED}); several queue. */
  public synchronized FakeWhatsAppGateway thenFetch(MediaFetch outcome) {
    mediaFailures.addLast(Objects.requireNonNull(outcome, "outcome"));
    return this;
  }

  @Override
  public MediaFetch fetchMedia(WhatsAppSender sender, String mediaId, MediaSink sink) {
    Object[] found;
    synchronized (this) {
      if (!mediaFailures.isEmpty()) {
        return mediaFailures.removeFirst();
      }
      found = media.get(mediaId);
    }
    if (found == null) {
      return MediaFetch.GONE;
    }
    try {
      sink.accept((String) found[0], new java.io.ByteArrayInputStream((byte[]) found[1]));
      return MediaFetch.FETCHED;
    } catch (java.io.IOException e) {
      return MediaFetch.FAILED;
    }
  }

  /** Every send so far, in order. */
  public synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** Every read receipt so far, in order. */
  public synchronized List<ReadReceipt> readReceipts() {
    return List.copyOf(readReceipts);
  }
}
