package io.crmkit.whatsapp.internal;

import io.crmkit.core.Crm;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.DatabaseError;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.DisconnectReason;
import io.crmkit.whatsapp.NumberCheck;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppSender;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tenant a WhatsApp number's webhooks reach: the one whose current access token is proven to
 * use the number. A proof is WhatsApp's answer that a token can use the number, stamped on the
 * profile ({@code verified_at}) by the transaction that stores it; the database keeps one route
 * per proven, active profile and refuses a number another profile routes (SQLSTATE CKW01).
 *
 * <p>A refused proof starts a contest: the holder's own token is checked again at WhatsApp, outside
 * any transaction. If WhatsApp refuses it, the prover's transaction releases the holder's route
 * (only as it was when checked) and takes it, atomically, and the holder's profile is then
 * disconnected, with its reason and a {@code profile_disconnected} event, in the holder's own
 * transaction. If both tokens can use the number, the prover gets a conflict naming no
 * organization, and nothing changes.
 */
final class NumberRoutes {
  private static final Logger log = LoggerFactory.getLogger(NumberRoutes.class);
  /** Rounds of prove, contest, prove again before giving up: each round needs another tenant's fresh proof. */
  private static final int ROUNDS = 4;
  /** SQLSTATE raised by whatsapp_profiles_sync_route for a number another profile routes. */
  private static final String ROUTED_ELSEWHERE = "CKW01";
  private static final String ROUTING_ACTOR = "whatsapp-routing";

  private final Crm crm;
  private final SessionCipher cipher;
  private final WhatsAppGateway gateway;
  private final Events events;

  /** Routes of {@code crm}'s tenants; {@code gateway} answers which tokens can use which numbers. */
  NumberRoutes(Crm crm, SessionCipher cipher, WhatsAppGateway gateway, Events events) {
    this.crm = crm;
    this.cipher = cipher;
    this.gateway = gateway;
    this.events = events;
  }

  /** Who routes a number now, on which proof. */
  record Holder(UUID organizationId, UUID profileId, Instant provenAt) {}

  /**
   * A route to release before a proof is written, its holder's token having been refused; it
   * remembers whether the attempt released it, so only a holder whose route really moved is
   * disconnected.
   */
  static final class Release {
    private final Holder holder;
    private boolean released;

    Release(Holder holder) {
      this.holder = holder;
    }
  }

  /** A proof's write found the number routed to another profile; the transaction rolled back. */
  private static final class RoutedElsewhere extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RoutedElsewhere() {
      super("routed elsewhere", null, false, false);
    }
  }

  /** A statement that writes a proof, with the route it takes. */
  @FunctionalInterface
  interface ProofWrite<R> {
    /** Runs the statement. */
    R run();
  }

  /**
   * Asks WhatsApp, outside any transaction, whether {@code session} can use the number, and refuses
   * anything but yes.
   *
   * @throws ValidationException naming {@code session} if WhatsApp says it cannot
   * @throws RetryableException if WhatsApp gave no clear answer
   */
  void requireUsable(String phoneNumberId, String session, String refusal) {
    NumberCheck check = gateway.verifyNumber(new WhatsAppSender(phoneNumberId, session));
    if (check == NumberCheck.NOT_OWNED) {
      throw new ValidationException("session", refusal);
    }
    if (check != NumberCheck.OWNED) {
      throw new RetryableException("WhatsApp did not say whether the access token can use phone number id "
          + phoneNumberId + "; nothing was changed", null);
    }
  }

  /**
   * Runs {@code attempt}, a tenant transaction that writes a proof of {@code phoneNumberId}, and
   * contests the number if another profile routes it. {@code attempt} is given the holder whose
   * route it must release first ({@link #release}), once that holder's token was refused; it is
   * run again after each contest, so it must be repeatable. Outside any transaction.
   *
   * @throws ConflictException if the holder's token can use the number too (naming no organization)
   * @throws RetryableException if WhatsApp gave no clear answer about the holder's token, or the
   *     number kept changing hands
   */
  <R> R prove(String phoneNumberId, Function<Optional<Release>, R> attempt) {
    Optional<Release> release = Optional.empty();
    for (int round = 1; ; round++) {
      try {
        R result = attempt.apply(release);
        // The attempt committed; if it released the holder's route, the number has moved.
        release.filter(r -> r.released).ifPresent(r -> disconnectLoser(r.holder));
        return result;
      } catch (RoutedElsewhere e) {
        if (round == ROUNDS) {
          throw new RetryableException("phone number id " + phoneNumberId + " kept changing hands while it was being"
              + " connected; nothing was changed", null);
        }
      }
      release = contest(phoneNumberId).map(Release::new);
    }
  }

  /**
   * Inside the prover's transaction, before its proof is written: removes the holder's route if it
   * is still exactly the one that was checked; otherwise the attempt starts over.
   */
  static void release(TenantTransaction tx, String phoneNumberId, Release release) {
    Holder holder = release.holder;
    if (!Boolean.TRUE.equals(tx.mapper(RouteMapper.class).release(phoneNumberId, holder.organizationId(),
        holder.profileId(), holder.provenAt()))) {
      throw new RoutedElsewhere();
    }
    release.released = true;
  }

  /** Runs a statement that writes a proof; a number another profile routes (CKW01) starts a contest. */
  static <R> R routing(ProofWrite<R> write) {
    try {
      return write.run();
    } catch (RuntimeException e) {
      if (DatabaseError.of(e).filter(error -> error.is(ROUTED_ELSEWHERE)).isPresent()) {
        throw new RoutedElsewhere();
      }
      throw e;
    }
  }

  /**
   * Clears a profile's proof (its route goes with it) and marks it disconnected with {@code reason};
   * if it was proven, tells of it with a {@code profile_disconnected} event. With {@code onlyProof},
   * only while that proof still stands.
   *
   * @return whether a proof was cleared
   */
  boolean disconnect(TenantTransaction tx, UUID profileId, DisconnectReason reason, Instant onlyProof) {
    String phoneNumberId = tx.mapper(ProfileMapper.class).disconnect(tx.organizationId(), profileId, reason,
        onlyProof);
    if (phoneNumberId == null) {
      return false;
    }
    events.appendForProfile(tx, profileId, EventCodec.profileDisconnected(profileId, phoneNumberId, reason));
    return true;
  }

  /**
   * Checks the holder's token again: empty if the route is free now (or changed: the attempt simply
   * runs again), the holder to release if WhatsApp refused its token.
   */
  private Optional<Holder> contest(String phoneNumberId) {
    Optional<Holder> holder = TenantWork.crossTenant(crm,
        tx -> Optional.ofNullable(tx.mapper(RouteMapper.class).holder(phoneNumberId)));
    if (holder.isEmpty()) {
      return Optional.empty();
    }
    Optional<WhatsAppSender> sender = holdersSender(holder.get());
    if (sender.isEmpty()) {
      return Optional.empty();
    }
    NumberCheck check = gateway.verifyNumber(sender.get());
    if (check == NumberCheck.OWNED) {
      throw new ConflictException("phone number id " + phoneNumberId + " is connected to another WhatsApp profile whose"
          + " access token can use it too; nothing was changed");
    }
    if (check != NumberCheck.NOT_OWNED) {
      throw new RetryableException("phone number id " + phoneNumberId + " is connected to another WhatsApp profile,"
          + " and WhatsApp did not say whether that profile's access token can still use it; nothing was changed", null);
    }
    log.info("phone number id {}: the access token of profile {} of organization {} can no longer use it; its route"
        + " moves to the organization that proved it", phoneNumberId, holder.get().profileId(),
        holder.get().organizationId());
    return holder;
  }

  /** The holder's token, read in the holder's own transaction, while the checked proof stands. */
  private Optional<WhatsAppSender> holdersSender(Holder holder) {
    return TenantWork.call(crm.tenant(holder.organizationId()).asSystem(ROUTING_ACTOR), tx -> {
      SessionRow stored = tx.mapper(ProfileMapper.class).provenSession(tx.organizationId(), holder.profileId(),
          holder.provenAt());
      if (stored == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(new WhatsAppSender(stored.phoneNumberId(), cipher.open(tx.organizationId(),
            holder.profileId(), stored.sealed())));
      } catch (CrmException e) {
        log.warn("phone number id {}: the session of profile {} of organization {}, which routes it, does not"
            + " decrypt with these keys", stored.phoneNumberId(), holder.profileId(), holder.organizationId(), e);
        throw new CrmException("the profile that routes this number could not be checked; nothing was changed");
      }
    });
  }

  /**
   * After the route moved: the loser's profile is disconnected, in its own transaction, tried a
   * few times; the prover's call has succeeded whatever happens here.
   */
  private void disconnectLoser(Holder loser) {
    for (int attempt = 1; ; attempt++) {
      try {
        TenantWork.call(crm.tenant(loser.organizationId()).asSystem(ROUTING_ACTOR),
            tx -> disconnect(tx, loser.profileId(), DisconnectReason.NUMBER_PROVEN_ELSEWHERE, loser.provenAt()));
        return;
      } catch (RuntimeException e) {
        if (attempt == 3) {
          // The route has moved; the loser's profile reads as proven until its next send is
          // refused or its admin reactivates it (which checks its token again).
          log.error("profile {} of organization {} lost its number's route but could not be marked disconnected",
              loser.profileId(), loser.organizationId(), e);
          return;
        }
        try {
          Thread.sleep(100L << attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
