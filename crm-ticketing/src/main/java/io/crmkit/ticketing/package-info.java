/**
 * crm-ticketing: tickets with safe per-organization numbering ({@code TICKET-2026-0001}), a status
 * workflow with optimistic concurrency, public replies and internal notes, SLAs, lists and
 * dashboard counts. Hosts reach it from a scope, {@code scope.service(TicketService.class)}; the
 * module itself is {@link io.crmkit.ticketing.TicketingModule}, found on the class path.
 */
package io.crmkit.ticketing;
