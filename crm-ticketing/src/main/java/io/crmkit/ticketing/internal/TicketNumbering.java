package io.crmkit.ticketing.internal;

import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.DatabaseError;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.ticketing.Ticket;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ticket numbers: per organization and period (the year, when the format writes it), consecutive
 * and without gaps, from the period's counter row, taken by the statement that also takes the
 * month's {@code max_tickets_per_month} unit and inserts the ticket (TicketMapper's
 * {@code numbering}). The organization's two hot rows are held from that statement to the commit
 * only; when the call opened its transaction the statement is sent with its COMMIT.
 */
final class TicketNumbering {
  /** The usage counter of opened tickets, per month in the organization's time zone. */
  static final String OPENED_METRIC = "tickets_opened";
  /** SQLSTATE of require_ticket_numbered() (migration V2): the statement sent with its COMMIT numbered nothing. */
  private static final String NOT_NUMBERED = "CKT01";
  private static final String NUMBER_UNIQUE = "tickets_organization_id_ticket_number_key";
  private static final String ID_UNIQUE = "tickets_pkey";
  private static final Pattern DIGITS = Pattern.compile("\\{(N+)\\}");

  private TicketNumbering() {}

  /** The number {@code format} writes in {@code period}, around its digits. */
  record Written(String prefix, int width, String suffix) {
    static Written of(String format, String period) {
      String year = period.equals("-") ? "" : period;
      String written = format.replace("{YYYY}", year).replace("{YY}", year.isEmpty() ? "" : year.substring(2));
      Matcher digits = DIGITS.matcher(written);
      if (!digits.find()) {
        throw new IllegalStateException("number format without {N…}: " + format);
      }
      return new Written(written.substring(0, digits.start()), digits.group(1).length(),
          written.substring(digits.end()));
    }
  }

  /**
   * Numbers and inserts the ticket as the work's last statement, sent with the transaction's COMMIT
   * (the transaction must {@linkplain TenantTransaction#commitsOnReturn commit on return}).
   *
   * @throws NotNumbered if it inserted no ticket (the month's limit refused it, or the period has
   *     no counter row yet): nothing of the transaction committed
   */
  static Ticket numberAndCommit(TenantTransaction tx, String format, TicketMapper.Numbering numbering)
      throws SQLException {
    List<TicketRows.NumberedRow> rows;
    try {
      rows = tx.queryAndCommit(TicketMapper.class, "numberAndCommit", numbering);
    } catch (SQLException e) {
      if (DatabaseError.of(e).filter(d -> d.is(NOT_NUMBERED)).isPresent()) {
        throw new NotNumbered();
      }
      throw conflictIfTaken(e, format, numbering);
    }
    return TicketRows.NumberedRow.ticket(rows.get(0))
        .orElseThrow(() -> new IllegalStateException("the numbering statement committed without a ticket"));
  }

  /**
   * Numbers and inserts the ticket within the transaction, telling a refusal by the month's limit
   * (with the limit and the plan) from a period without its counter row yet (created at 0).
   */
  static Ticket number(TenantTransaction tx, String format, TicketMapper.Numbering numbering) {
    TicketRows.NumberedRow row = insert(tx, format, numbering);
    if (!TicketRows.NumberedRow.counted(row)) {
      // Refused by max_tickets_per_month: core's call says so with the limit and the plan (or, if a
      // unit was given back meanwhile, takes it, and the ticket goes in after all).
      tx.takeWithinLimit(OPENED_METRIC, numbering.month(), 1, Limit.TICKETS_PER_MONTH);
      row = insert(tx, format, numbering.counted());
    }
    Optional<Ticket> ticket = TicketRows.NumberedRow.ticket(row);
    if (ticket.isEmpty()) {
      // No counter row this statement could see: the organization's first ticket of the period (or
      // a concurrent first one whose row committed after this statement began). The unit was taken.
      tx.mapper(TicketMapper.class).createCounter(numbering.organizationId(), numbering.period());
      ticket = TicketRows.NumberedRow.ticket(insert(tx, format, numbering.counted()));
    }
    return ticket.orElseThrow(() -> new IllegalStateException("no counter row for period " + numbering.period()));
  }

  private static TicketRows.NumberedRow insert(TenantTransaction tx, String format,
      TicketMapper.Numbering numbering) {
    try {
      return tx.mapper(TicketMapper.class).number(numbering);
    } catch (RuntimeException e) {
      throw conflictIfTaken(e, format, numbering);
    }
  }

  /**
   * A number an earlier format already wrote, or an id already a ticket's, is a clear conflict
   * (told by constraint name); other errors pass as they are.
   */
  private static <E extends Exception> E conflictIfTaken(E error, String format, TicketMapper.Numbering numbering) {
    Optional<DatabaseError> database = DatabaseError.of(error);
    if (database.filter(d -> d.isUniqueViolationOf(NUMBER_UNIQUE)).isPresent()) {
      throw new ConflictException("the number format " + format + " gives a number an earlier format already gave;"
          + " give it a prefix of its own (updateSettings)");
    }
    if (database.filter(d -> d.isUniqueViolationOf(ID_UNIQUE)).isPresent()) {
      throw new ConflictException("ticket " + numbering.id() + " exists already", numbering.id());
    }
    return error;
  }

  /**
   * The numbering statement sent with its COMMIT inserted no ticket, so the transaction rolled back;
   * the open is redone the long way ({@link #number}).
   */
  static final class NotNumbered extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotNumbered() {
      super("no ticket was numbered", null, false, false);
    }
  }
}
