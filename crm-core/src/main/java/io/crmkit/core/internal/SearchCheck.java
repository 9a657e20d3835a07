package io.crmkit.core.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start that the database classifies Arabic letters as letters. pg_trgm builds
 * trigrams only from what the database's {@code lc_ctype} calls alphanumeric; under {@code C} an
 * Arabic name yields no trigrams at all, and search cannot find it.
 */
public final class SearchCheck {
  private static final Logger log = LoggerFactory.getLogger(SearchCheck.class);

  private SearchCheck() {}

  /** The warnings for this database: empty when Arabic search works. */
  public static List<String> warnings(DataSource runtime) {
    try (Connection c = runtime.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select datctype, 'أحمد' ~ '^[[:alpha:]]+$' from pg_database where datname = current_database()")) {
      rs.next();
      if (rs.getBoolean(2)) {
        return List.of();
      }
      String warning = "the database's lc_ctype is " + rs.getString(1) + ", which does not classify Arabic letters:"
          + " customer search cannot find Arabic names. Create the database with a UTF-8 ctype such as C.UTF-8"
          + " or en_US.UTF-8.";
      log.warn(warning);
      return List.of(warning);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot check the database's lc_ctype: " + e.getMessage(), e);
    }
  }
}
