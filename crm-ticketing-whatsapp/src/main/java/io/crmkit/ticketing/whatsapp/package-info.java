/**
 * The bridge between crm-ticketing and crm-whatsapp, for hosts that use both, installed by itself
 * when both are on the class path ({@link io.crmkit.ticketing.whatsapp.TicketingWhatsAppModule}):
 * tickets opened from WhatsApp conversations ({@code TicketDraft.builder(…).conversation(id)}),
 * public replies sent to the customer on WhatsApp, and agents' WhatsApp replies stopping tickets'
 * first-response clocks. Its migration adds the foreign key from tickets to conversations.
 */
package io.crmkit.ticketing.whatsapp;
