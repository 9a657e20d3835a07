/**
 * crm-ticketing: tickets with safe per-organization numbering ({@code TICKET-2026-0001}), a status
 * workflow with optimistic concurrency, public replies and internal notes, SLAs, lists and
 * dashboard counts. Start at {@link io.crmkit.ticketing.Ticketing}.
 */
package io.crmkit.ticketing;
