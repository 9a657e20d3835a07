package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** customers and customer_activities. SQL in CustomerMapper.xml. */
interface CustomerMapper {
  Rows.CustomerRow find(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** Whether the customer exists in the organization (as RLS lets the transaction see it). */
  boolean exists(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  Rows.CustomerRow findForUpdate(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  Rows.CustomerRow findForKeyUpdate(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  Rows.CustomerRow findByPhone(@Param("organizationId") UUID organizationId, @Param("phone") String phone);

  Rows.CustomerRow findByEmail(@Param("organizationId") UUID organizationId, @Param("email") String email);

  Rows.CustomerRow findByExternalId(@Param("organizationId") UUID organizationId,
      @Param("externalId") String externalId);

  /**
   * Inserts the customer and its {@code customer_created} activity in one statement; null when its
   * phone, email or external id is taken (ON CONFLICT DO NOTHING, after waiting for a concurrent insert).
   */
  Rows.CustomerRow insert(@Param("c") Rows.CustomerRow row, @Param("performedBy") UUID performedBy,
      @Param("system") String system, @Param("metadata") JsonNode metadata);

  Rows.NewCustomerContext newCustomerContext(@Param("organizationId") UUID organizationId,
      @Param("stageId") UUID stageId);

  int setStage(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("stageId") UUID stageId);

  int assign(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("userId") UUID userId);

  int addTags(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("tags") List<String> tags);

  int removeTags(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("tags") List<String> tags);

  int mergeCustomFields(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("fields") JsonNode fields);

  /** Sets the contact fields (name, phones, email, company, position, notes) to {@code c}'s. */
  int updateContact(@Param("organizationId") UUID organizationId, @Param("id") UUID id,
      @Param("c") Rows.CustomerRow contact);

  /** Logs one {@code customer_updated} activity per field, each with {@code {"field": name}}. */
  int logFields(@Param("organizationId") UUID organizationId, @Param("customerId") UUID customerId,
      @Param("fields") List<String> fields, @Param("member") UUID member, @Param("system") String system);

  int setLeadScore(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("score") int score);

  int setValue(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("minor") long minor,
      @Param("currency") String currency);

  int delete(@Param("organizationId") UUID organizationId, @Param("id") UUID id);

  /** Through search_customers(), which takes the tenant from the transaction's setting. */
  List<Rows.CustomerRow> search(@Param("query") String query, @Param("afterTier") Integer afterTier,
      @Param("afterScore") Float afterScore, @Param("afterAt") Instant afterAt, @Param("afterId") UUID afterId,
      @Param("limit") int limit);

  /** Through list_customers(), which takes the tenant from the transaction's setting. */
  List<Rows.CustomerRow> list(@Param("text") String text, @Param("stageId") UUID stageId,
      @Param("assignee") UUID assignee, @Param("tagsAny") List<String> tagsAny, @Param("tagsAll") List<String> tagsAll,
      @Param("source") String source, @Param("createdFrom") Instant createdFrom,
      @Param("createdBefore") Instant createdBefore, @Param("fieldKey") String fieldKey,
      @Param("fieldValue") String fieldValue, @Param("sort") String sort, @Param("descending") boolean descending,
      @Param("afterKey") String afterKey, @Param("afterId") UUID afterId, @Param("limit") int limit);

  List<Rows.CustomerKey> importMatches(@Param("organizationId") UUID organizationId,
      @Param("phones") List<String> phones, @Param("emails") List<String> emails,
      @Param("externalIds") List<String> externalIds);

  /**
   * Applies import rows to their matched customers where a value really changes (an external id only
   * where there is none); returns those changed.
   */
  List<UUID> importUpdate(@Param("organizationId") UUID organizationId, @Param("rows") String rows);

  /** Inserts import rows (unless a phone, email or external id was taken meanwhile); returns the new ids. */
  List<UUID> importInsert(@Param("organizationId") UUID organizationId, @Param("rows") String rows,
      @Param("stageId") UUID stageId, @Param("createdBy") UUID createdBy);

  int logMany(@Param("organizationId") UUID organizationId, @Param("ids") List<UUID> ids, @Param("type") String type,
      @Param("member") UUID member, @Param("system") String system);

  int moveActivities(@Param("organizationId") UUID organizationId, @Param("from") UUID from, @Param("to") UUID to);

  /** Fills the survivor's empty fields from the duplicate's row; combines tags and custom fields. */
  int absorb(@Param("organizationId") UUID organizationId, @Param("id") UUID id, @Param("d") Rows.CustomerRow duplicate);

  UUID defaultStage(@Param("organizationId") UUID organizationId);

  boolean stageExists(@Param("organizationId") UUID organizationId, @Param("stageId") UUID stageId);

  boolean activeMember(@Param("organizationId") UUID organizationId, @Param("userId") UUID userId);

  String region(@Param("organizationId") UUID organizationId);

  Rows.ActivityRow insertActivity(@Param("organizationId") UUID organizationId, @Param("customerId") UUID customerId,
      @Param("type") String type, @Param("description") String description, @Param("performedBy") UUID performedBy,
      @Param("system") String system, @Param("metadata") JsonNode metadata);

  List<Rows.ActivityRow> timeline(@Param("organizationId") UUID organizationId, @Param("customerId") UUID customerId,
      @Param("beforeAt") Instant beforeAt, @Param("beforeId") UUID beforeId, @Param("limit") int limit);
}
