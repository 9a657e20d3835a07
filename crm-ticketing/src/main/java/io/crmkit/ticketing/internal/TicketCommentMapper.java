package io.crmkit.ticketing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

/** ticket_comments. SQL in TicketCommentMapper.xml. */
interface TicketCommentMapper {
  TicketRows.CommentRow insert(@Param("organizationId") UUID organizationId, @Param("ticketId") UUID ticketId,
      @Param("author") UUID author, @Param("body") String body, @Param("internal") boolean internal,
      @Param("attachments") JsonNode attachments, @Param("now") Instant now);

  /** A ticket's comments after ({@code afterAt}, {@code afterId}) if given, oldest first. */
  List<TicketRows.CommentRow> page(@Param("organizationId") UUID organizationId, @Param("ticketId") UUID ticketId,
      @Param("includeInternal") boolean includeInternal, @Param("afterAt") Instant afterAt,
      @Param("afterId") UUID afterId, @Param("limit") int limit);
}
