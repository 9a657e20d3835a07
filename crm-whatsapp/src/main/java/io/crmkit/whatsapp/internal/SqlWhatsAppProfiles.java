package io.crmkit.whatsapp.internal;

import io.crmkit.core.Limit;
import io.crmkit.core.NotFoundException;
import io.crmkit.core.Role;
import io.crmkit.core.TenantScope;
import io.crmkit.core.ValidationException;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.whatsapp.NumberCheck;
import io.crmkit.whatsapp.ProfileStatus;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppProfile;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppSender;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** {@link WhatsAppProfiles} over whatsapp_profiles, through crm-core's {@link TenantWork}. */
public final class SqlWhatsAppProfiles implements WhatsAppProfiles {
  /** The usage counter of active profiles, a running total. */
  static final String METRIC = "whatsapp_profiles";
  private static final String COLUMNS = "id, name, phone_number, phone_number_id, meta_app_id, status, is_active,"
      + " session_key_id is not null as has_session, verified_at is not null as verified, created_at, updated_at";

  private final TenantScope scope;
  private final SessionCipher cipher;
  private final WhatsAppGateway gateway;

  /** Profiles of {@code scope}'s organization; {@code gateway} verifies that tokens can use their numbers. */
  public SqlWhatsAppProfiles(TenantScope scope, SessionCipher cipher, WhatsAppGateway gateway) {
    this.scope = scope;
    this.cipher = cipher;
    this.gateway = gateway;
  }

  /** Asks the provider, outside any transaction, whether the token can use the number. */
  private void verify(String phoneNumberId, String session) {
    NumberCheck check = gateway.verifyNumber(new WhatsAppSender(phoneNumberId, session));
    if (check == NumberCheck.NOT_OWNED) {
      throw new ValidationException("session", "this access token cannot use phone number id " + phoneNumberId
          + " at WhatsApp");
    }
    if (check != NumberCheck.OWNED) {
      throw new io.crmkit.core.RetryableException("WhatsApp did not say whether the access token can use phone number id "
          + phoneNumberId + "; nothing was changed", null);
    }
  }

  @Override
  public WhatsAppProfile create(WhatsAppProfileDraft draft) {
    Objects.requireNonNull(draft, "draft");
    String name = name(draft.name());
    if (!draft.phoneNumber().matches("\\+[1-9][0-9]{6,14}")) {
      throw new ValidationException("phoneNumber", "must be E.164, such as +966501234567");
    }
    digits("phoneNumberId", draft.phoneNumberId());
    digits("metaAppId", draft.metaAppId());
    draft.session().ifPresent(s -> session(s));
    // Admins only, checked before WhatsApp is asked: nobody else may use the server to test tokens.
    TenantWork.call(scope, tx -> tx.requireRole("whatsapp.profiles.create", Role.ADMIN));
    draft.session().ifPresent(s -> verify(draft.phoneNumberId(), s));
    return TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.create", Role.ADMIN);
      tx.takeWithinLimit(METRIC, LocalDate.EPOCH, 1, Limit.WHATSAPP_PROFILES);
      UUID id = UUID.randomUUID();
      SessionCipher.Sealed sealed = draft.session().map(s -> cipher.seal(tx.organizationId(), id, s)).orElse(null);
      try (PreparedStatement ps = tx.connection().prepareStatement("insert into " + table(tx)
          + " (organization_id, id, name, phone_number, phone_number_id, meta_app_id, status, session_key_id,"
          + " session_nonce, session_ciphertext, verified_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " case when ? then now() end) returning " + COLUMNS)) {
        ps.setObject(1, tx.organizationId());
        ps.setObject(2, id);
        ps.setString(3, name);
        ps.setString(4, draft.phoneNumber());
        ps.setString(5, draft.phoneNumberId());
        ps.setString(6, draft.metaAppId());
        ps.setString(7, sealed == null ? "disconnected" : "connected");
        ps.setString(8, sealed == null ? null : sealed.keyId());
        ps.setBytes(9, sealed == null ? null : sealed.nonce());
        ps.setBytes(10, sealed == null ? null : sealed.ciphertext());
        ps.setBoolean(11, sealed != null);
        return one(ps).orElseThrow();
      }
    });
  }

  @Override
  public Optional<WhatsAppProfile> get(UUID profileId) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> find(tx, profileId, false));
  }

  @Override
  public List<WhatsAppProfile> list() {
    return TenantWork.call(scope, tx -> {
      try (PreparedStatement ps = tx.connection().prepareStatement("select " + COLUMNS + " from " + table(tx)
          + " where organization_id = ? order by is_active desc, name, id")) {
        ps.setObject(1, tx.organizationId());
        List<WhatsAppProfile> profiles = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            profiles.add(profile(rs));
          }
        }
        return profiles;
      }
    });
  }

  @Override
  public WhatsAppProfile rename(UUID profileId, String name) {
    String checked = name(name);
    return update(profileId, "whatsapp.profiles.rename", "name = ?", checked);
  }

  @Override
  public WhatsAppProfile setStatus(UUID profileId, ProfileStatus status) {
    Objects.requireNonNull(status, "status");
    return update(profileId, "whatsapp.profiles.setStatus", "status = ?", status.name().toLowerCase(Locale.ROOT));
  }

  @Override
  public WhatsAppProfile replaceSession(UUID profileId, String session) {
    String checked = session(session);
    Objects.requireNonNull(profileId, "profileId");
    TenantWork.call(scope, tx -> tx.requireRole("whatsapp.profiles.replaceSession", Role.ADMIN));
    WhatsAppProfile current = get(profileId).orElseThrow(() -> new NotFoundException("whatsapp profile", profileId));
    verify(current.phoneNumberId(), checked);
    return TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.replaceSession", Role.ADMIN);
      requireExisting(tx, profileId);
      SessionCipher.Sealed sealed = cipher.seal(tx.organizationId(), profileId, checked);
      seal(tx, profileId, sealed, find(tx, profileId, false).orElseThrow().active(), true);
      return find(tx, profileId, false).orElseThrow();
    });
  }

  @Override
  public WhatsAppProfile deactivate(UUID profileId) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.deactivate", Role.ADMIN);
      WhatsAppProfile profile = find(tx, profileId, true).orElseThrow(() -> new NotFoundException("whatsapp profile",
          profileId));
      if (!profile.active()) {
        return profile;
      }
      tx.update("update " + table(tx) + " set is_active = false, status = 'disconnected'"
          + " where organization_id = ? and id = ?", tx.organizationId(), profileId);
      tx.giveBack(METRIC, LocalDate.EPOCH, 1);
      return find(tx, profileId, false).orElseThrow();
    });
  }

  @Override
  public WhatsAppProfile reactivate(UUID profileId) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.reactivate", Role.ADMIN);
      WhatsAppProfile profile = find(tx, profileId, true).orElseThrow(() -> new NotFoundException("whatsapp profile",
          profileId));
      if (profile.active()) {
        return profile;
      }
      tx.takeWithinLimit(METRIC, LocalDate.EPOCH, 1, Limit.WHATSAPP_PROFILES);
      tx.update("update " + table(tx) + " set is_active = true, status = case when session_key_id is null"
          + " then 'disconnected' else 'connected' end where organization_id = ? and id = ?", tx.organizationId(), profileId);
      return find(tx, profileId, false).orElseThrow();
    });
  }

  @Override
  public Optional<WhatsAppSender> sender(UUID profileId) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("whatsapp.profiles.sender", Role.ADMIN);
      try (PreparedStatement ps = tx.connection().prepareStatement("select phone_number_id, session_key_id,"
          + " session_nonce, session_ciphertext, is_active from " + table(tx) + " where organization_id = ? and id = ?")) {
        ps.setObject(1, tx.organizationId());
        ps.setObject(2, profileId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new NotFoundException("whatsapp profile", profileId);
          }
          if (rs.getString(2) == null || !rs.getBoolean(5)) {
            return Optional.empty();
          }
          String token = cipher.open(tx.organizationId(), profileId,
              new SessionCipher.Sealed(rs.getString(2), rs.getBytes(3), rs.getBytes(4)));
          return Optional.of(new WhatsAppSender(rs.getString(1), token));
        }
      }
    });
  }

  @Override
  public int reencryptSessions() {
    return TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.reencryptSessions", Role.ADMIN);
      List<Object[]> stale = new ArrayList<>();
      try (PreparedStatement ps = tx.connection().prepareStatement("select id, session_key_id, session_nonce,"
          + " session_ciphertext from " + table(tx) + " where organization_id = ? and session_key_id <> ?"
          + " order by id for no key update")) {
        ps.setObject(1, tx.organizationId());
        ps.setString(2, cipher.currentKeyId());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            stale.add(new Object[] {rs.getObject(1, UUID.class),
                new SessionCipher.Sealed(rs.getString(2), rs.getBytes(3), rs.getBytes(4))});
          }
        }
      }
      for (Object[] row : stale) {
        UUID id = (UUID) row[0];
        String session = cipher.open(tx.organizationId(), id, (SessionCipher.Sealed) row[1]);
        seal(tx, id, cipher.seal(tx.organizationId(), id, session), false);
      }
      return stale.size();
    });
  }

  private WhatsAppProfile update(UUID profileId, String operation, String assignment, String value) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> {
      tx.requireRole(operation, Role.ADMIN);
      try (PreparedStatement ps = tx.connection().prepareStatement("update " + table(tx) + " set " + assignment
          + " where organization_id = ? and id = ? returning " + COLUMNS)) {
        ps.setString(1, value);
        ps.setObject(2, tx.organizationId());
        ps.setObject(3, profileId);
        return one(ps).orElseThrow(() -> new NotFoundException("whatsapp profile", profileId));
      }
    });
  }

  private static void seal(TenantTransaction tx, UUID profileId, SessionCipher.Sealed sealed, boolean connect)
      throws SQLException {
    seal(tx, profileId, sealed, connect, connect);
  }

  /** Stores a sealed session; {@code verified}: its token was just shown to work for the number. */
  private static void seal(TenantTransaction tx, UUID profileId, SessionCipher.Sealed sealed, boolean connect,
      boolean verified) throws SQLException {
    try (PreparedStatement ps = tx.connection().prepareStatement("update " + table(tx) + " set session_key_id = ?,"
        + " session_nonce = ?, session_ciphertext = ?"
        + (verified ? ", verified_at = coalesce(verified_at, now())" : "") + (connect ? ", status = 'connected'" : "")
        + " where organization_id = ? and id = ?")) {
      ps.setString(1, sealed.keyId());
      ps.setBytes(2, sealed.nonce());
      ps.setBytes(3, sealed.ciphertext());
      ps.setObject(4, tx.organizationId());
      ps.setObject(5, profileId);
      ps.executeUpdate();
    }
  }

  private static void requireExisting(TenantTransaction tx, UUID profileId) throws SQLException {
    if (find(tx, profileId, true).isEmpty()) {
      throw new NotFoundException("whatsapp profile", profileId);
    }
  }

  private static Optional<WhatsAppProfile> find(TenantTransaction tx, UUID profileId, boolean lock) throws SQLException {
    try (PreparedStatement ps = tx.connection().prepareStatement("select " + COLUMNS + " from " + table(tx)
        + " where organization_id = ? and id = ?" + (lock ? " for no key update" : ""))) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, profileId);
      return one(ps);
    }
  }

  private static Optional<WhatsAppProfile> one(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(profile(rs)) : Optional.empty();
    }
  }

  private static WhatsAppProfile profile(ResultSet rs) throws SQLException {
    return new WhatsAppProfile(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("phone_number"),
        rs.getString("phone_number_id"), rs.getString("meta_app_id"),
        ProfileStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), rs.getBoolean("is_active"),
        rs.getBoolean("has_session"), rs.getBoolean("verified"), instant(rs, "created_at"), instant(rs, "updated_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  /** The profiles table, schema-qualified and quoted. */
  private static String table(TenantTransaction tx) {
    return tx.table("whatsapp_profiles");
  }

  private static String name(String name) {
    if (name == null || name.isBlank() || name.strip().length() > 100) {
      throw new ValidationException("name", "must be 1 to 100 characters, not blank");
    }
    return name.strip();
  }

  private static void digits(String field, String value) {
    if (value == null || !value.matches("[0-9]{1,32}")) {
      throw new ValidationException(field, "must be the numeric id Meta shows");
    }
  }

  private static String session(String session) {
    if (session == null || session.isBlank() || session.length() > 10_000) {
      throw new ValidationException("session", "must be 1 to 10000 characters, not blank");
    }
    return session;
  }
}
