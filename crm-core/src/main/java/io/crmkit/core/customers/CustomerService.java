package io.crmkit.core.customers;

import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The organization's customers. Each call is one transaction unless made inside
 * {@link TenantScope#inTransaction}; changes write their activity to the customer's timeline in
 * the same transaction, performed by the scope's actor.
 *
 * <p>Input is checked before any SQL (ARCHITECTURE.md, "Bad input and errors"): text that holds a
 * control character (NUL included) or broken UTF-16, or is over its field's limit, is a
 * {@link ValidationException} naming the field, and nothing changes. A customer, stage or member
 * id this organization cannot see, another tenant's included, is answered as an id that does not
 * exist.
 */
public interface CustomerService {

  /**
   * Creates a customer, in the default stage unless the draft names one.
   *
   * @throws ValidationException for a malformed phone or email (naming the field) or nothing to know the customer by
   * @throws ConflictException if the WhatsApp phone or email belongs to a customer already (naming it), also
   *     when a concurrent create of the same phone wins
   * @throws LimitExceededException when {@link Limit#CUSTOMERS} is reached
   */
  Customer create(CustomerDraft draft);

  /** One customer, if it exists in this organization. */
  Optional<Customer> get(UUID customerId);

  /** The customer with this WhatsApp phone, written in any format. */
  Optional<Customer> findByPhone(String whatsappPhone);

  /** The customer with this email, compared case-insensitively. */
  Optional<Customer> findByEmail(String email);

  /** The customer with this {@linkplain Customer#externalId() external id}, compared exactly. */
  Optional<Customer> findByExternalId(String externalId);

  /**
   * The customer with this WhatsApp phone, created from {@code draft} if there is none. Safe under
   * concurrency: callers racing on one phone all get the same customer, and one of them created it.
   *
   * @param whatsappPhone the phone, in any format; it overrides the draft's
   * @param draft what a new customer gets; checked first, whether one is created or not
   * @throws ValidationException for a malformed phone or a bad draft, before anything is read
   */
  FoundCustomer findOrCreateByPhone(String whatsappPhone, CustomerDraft draft);

  /**
   * Customers whose name, company, email or phones contain {@code query}, newest first; then, when
   * {@code query} is made of letters (at least three), customers whose name or company has a word
   * spelled close to it (pg_trgm word similarity of at least 0.5: {@code mohamed} finds
   * {@code Mohammed}, {@code khaled} finds {@code Khalid}), closest first, then newest. Emails and
   * phone numbers are matched as substrings only, never fuzzily. {@code limit} (1 to 200) at a time.
   * Arabic-aware: alef forms, ة/ه and ى/ي fold together and tashkeel is ignored, so {@code احمد}
   * finds {@code أحمد} and {@code إحمد}.
   *
   * @param cursor the previous page's {@link Page#nextCursor()}, or empty for the first page
   * @throws ValidationException for a query that is blank, over 200 characters or not one line of
   *     text, a bad limit or a cursor that is not one of ours
   */
  Page<Customer> search(String query, int limit, Optional<String> cursor);

  /**
   * One page of the customers {@code query} selects, in its order, {@code limit} (1 to 200) at a
   * time, by keyset (never OFFSET): deep pages cost what the first does.
   *
   * @param cursor the previous page's {@link Page#nextCursor()} for the same query, or empty
   * @throws ValidationException for a bad filter (text as {@link #search}'s query; tags as a
   *     customer's; a custom field key of 1 to 64 characters and a value that is text, a finite
   *     number or a boolean; dates from 1970 to 9999), a bad limit, or a cursor of another query or not ours
   */
  Page<Customer> list(CustomerQuery query, int limit, Optional<String> cursor);

  /**
   * Changes the contact fields the update sets or clears (name, phones, email, company, position,
   * notes), checked and normalized as on create, and logs one {@code customer_updated} activity
   * per field that really changed ({@code {"field": "email"}}); an update that changes nothing
   * writes nothing.
   *
   * @throws NotFoundException if there is no such customer
   * @throws ValidationException for a malformed value (naming the field), or when the customer
   *     would have neither name nor phone nor email left
   * @throws ConflictException if the new WhatsApp phone or email belongs to another customer (naming it)
   */
  Customer update(UUID customerId, CustomerUpdate update);

  /** Moves a customer to another stage and logs a {@code stage_change} activity with {@code from} and {@code to}. */
  Customer moveToStage(UUID customerId, UUID stageId);

  /** Assigns the customer to a member, or unassigns it with an empty id; logs an {@code assigned} activity. */
  Customer assign(UUID customerId, Optional<UUID> userId);

  /** Adds tags (those it has already are kept once). */
  Customer tag(UUID customerId, Collection<String> tags);

  /** Removes tags. */
  Customer untag(UUID customerId, Collection<String> tags);

  /** Sets custom fields: merges {@code fields} into the customer's, key by key. */
  Customer setCustomFields(UUID customerId, Map<String, Object> fields);

  /** Sets the lead score, 0 to 100. */
  Customer setLeadScore(UUID customerId, int leadScore);

  /** Sets the deal value in minor units of {@code currency}. */
  Customer setEstimatedValue(UUID customerId, long minorUnits, String currency);

  /**
   * Deletes a customer and its timeline, and gives its unit of {@link Limit#CUSTOMERS} back.
   *
   * @throws NotFoundException if there is no such customer
   */
  void delete(UUID customerId);

  /**
   * Merges a duplicate into a survivor, in one transaction: the duplicate's activities and other
   * modules' rows (conversations, tickets, …) move to the survivor, fields the survivor lacks are
   * taken from the duplicate (tags and custom fields are combined, the survivor's values winning),
   * a {@code merged} activity is logged, and the duplicate is gone. Admins and managers only.
   *
   * @throws NotFoundException if either customer does not exist
   * @throws ValidationException if both ids are the same
   */
  Customer merge(UUID survivorId, UUID duplicateId);

  /**
   * Imports customers from CSV, streaming: UTF-8 with or without a byte order mark, or UTF-16 with
   * one (Excel's "Unicode text"); cells separated by the options' delimiter, else by the one the
   * header line uses most (comma, semicolon or tab); a quoted cell may span lines. A row whose field
   * count differs from the header's is its row's error, never read shifted; errors name the line a
   * text editor shows and the record number. Columns become fields by the options' mapping, else
   * by the {@link ImportPreset} whose export writes the header (Google Contacts, Outlook, HubSpot,
   * Salesforce, Zoho), else by {@link ImportMapping#standard()} ({@code full_name},
   * {@code whatsapp_phone}, {@code email}, … and every other column a custom field). A row is
   * matched to an existing customer by WhatsApp phone, else by email, and needs one of them (as
   * the options' {@link ImportIdentity} says: by phone or email only, or never); it updates only what it changes, so importing the same
   * file twice inserts and updates nothing the second time and writes no activity. Rows are
   * written in batches, each its own transaction; a batch that fails for its rows is replayed row
   * by row, so each bad row gets its own error and the good ones land. {@link Limit#CUSTOMERS} holds.
   *
   * @throws RetryableException if the database failed transiently twice on one batch: the batches
   *     before it are written, and importing the file again matches them and changes nothing
   * @throws io.crmkit.core.exception.ServerFaultException if the database failed in a way that is no
   *     row's fault (a missing grant, say): the batches before it are written
   * @throws java.io.UncheckedIOException if the input cannot be read
   * @throws ValidationException if there is no header, the mapping finds no column the identity
   *     matches by ({@code whatsapp_phone} or {@code email} by default), it names a column twice or has a column name that is not one line of text, or the CSV is malformed or has
   *     a cell over 100,000 characters (the rows before the fault have landed). A cell is checked as
   *     the services check its field: one with a control character or bytes that are not UTF-8
   *     (never replaced) is its row's error, naming the column
   * @throws TenantContextException inside {@link TenantScope#inTransaction} or a joined scope: an
   *     import runs its own transactions
   */
  ImportReport importCsv(java.io.InputStream csv, ImportOptions options);

  /**
   * What {@link #importCsv} would do with the file, changing nothing: its first {@code rows} rows
   * (1 to 100) as they would be stored, and the whole file read and checked against the
   * organization's customers, each batch in a transaction that rolls back.
   *
   * @throws ValidationException as {@link #importCsv} does, or for a row count out of range
   * @throws ForbiddenException unless the actor may import
   * @throws TenantContextException inside {@link TenantScope#inTransaction} or a joined scope
   */
  ImportPreview previewCsv(java.io.InputStream csv, ImportOptions options, int rows);

  /**
   * Adds an entry to a customer's timeline (a call, a note, a meeting, …).
   *
   * @param type 1 to 50 lowercase letters, digits or {@code _}, starting with a letter
   * @param description free text of up to 20,000 characters, tabs and line breaks allowed; blank is none
   * @param metadata details, by the rule of custom fields
   * @throws ValidationException for a bad type, description or metadata
   * @throws NotFoundException if there is no such customer
   */
  Activity logActivity(UUID customerId, String type, Optional<String> description, Map<String, Object> metadata);

  /**
   * A customer's timeline, newest first, {@code limit} (1 to 200) at a time.
   *
   * @param cursor the previous page's {@link Page#nextCursor()}, or empty for the first page
   * @throws ValidationException for a bad limit or a cursor that is not one of ours
   * @throws NotFoundException if there is no such customer (never an empty page)
   */
  Page<Activity> timeline(UUID customerId, int limit, Optional<String> cursor);

  /**
   * The organization's recent activity across all customers, newest first, {@code limit} (1 to
   * 200) at a time.
   *
   * @param cursor the previous page's {@link Page#nextCursor()}, or empty for the first page
   * @throws ValidationException for a cursor that is not one of ours
   */
  Page<Activity> recentActivity(int limit, Optional<String> cursor);

  /**
   * The result of {@link #findOrCreateByPhone}.
   *
   * @param customer the customer
   * @param created whether this call created it
   */
  record FoundCustomer(Customer customer, boolean created) {}
}
