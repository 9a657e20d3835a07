/**
 * The bridge between crm-ticketing and crm-whatsapp, for hosts that use both: tickets opened from
 * WhatsApp conversations ({@code TicketDraft.builder(…).conversation(id)}), public replies sent to
 * the customer on WhatsApp ({@link io.crmkit.ticketing.whatsapp.WhatsAppTicketReplies}), and
 * agents' WhatsApp replies stopping tickets' first-response clocks. Its migration adds the
 * foreign key from tickets to conversations.
 */
package io.crmkit.ticketing.whatsapp;
