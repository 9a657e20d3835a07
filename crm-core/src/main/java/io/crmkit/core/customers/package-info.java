/**
 * Customers: contacts with E.164 phones, search, filtered lists, CSV import, merges and each
 * customer's activity timeline ({@link io.crmkit.core.customers.CustomerService}).
 */
package io.crmkit.core.customers;
