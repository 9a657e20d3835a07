package io.crmkit.whatsapp.internal;

import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.whatsapp.DisconnectReason;
import io.crmkit.whatsapp.ProfileStatus;
import io.crmkit.whatsapp.WhatsAppProfile;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** whatsapp_profiles rows as {@link WhatsAppProfile}s, and the checks of their fields. */
final class ProfileRows {
  /** The columns {@link #profile} reads. */
  static final String COLUMNS = "id, name, phone_number, phone_number_id, meta_app_id, status, is_active,"
      + " session_key_id is not null as has_session, verified_at is not null as verified, disconnect_reason,"
      + " created_at, updated_at";


  private ProfileRows() {}

  static Optional<WhatsAppProfile> find(TenantTransaction tx, UUID profileId, boolean lock) throws SQLException {
    try (PreparedStatement ps = tx.connection().prepareStatement("select " + COLUMNS + " from " + table(tx)
        + " where organization_id = ? and id = ?" + (lock ? " for no key update" : ""))) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, profileId);
      return one(ps);
    }
  }

  static Optional<WhatsAppProfile> one(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(profile(rs)) : Optional.empty();
    }
  }

  static WhatsAppProfile profile(ResultSet rs) throws SQLException {
    return new WhatsAppProfile(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("phone_number"),
        rs.getString("phone_number_id"), rs.getString("meta_app_id"),
        ProfileStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), rs.getBoolean("is_active"),
        rs.getBoolean("has_session"), rs.getBoolean("verified"),
        Optional.ofNullable(rs.getString("disconnect_reason")).map(r -> DisconnectReason.valueOf(r.toUpperCase(Locale.ROOT))),
        instant(rs, "created_at"), instant(rs, "updated_at"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  /** The profiles table, schema-qualified and quoted. */
  static String table(TenantTransaction tx) {
    return tx.table("whatsapp_profiles");
  }

  static String name(String name) {
    if (name == null || name.isBlank() || name.strip().length() > 100) {
      throw new ValidationException("name", "must be 1 to 100 characters, not blank");
    }
    return name.strip();
  }

  static void digits(String field, String value) {
    if (value == null || !value.matches("[0-9]{1,32}")) {
      throw new ValidationException(field, "must be the numeric id Meta shows");
    }
  }

  static String session(String session) {
    if (session == null || session.isBlank() || session.length() > 10_000) {
      throw new ValidationException("session", "must be 1 to 10000 characters, not blank");
    }
    return session;
  }
}
