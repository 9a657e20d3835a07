/**
 * CRMKit's entry and tenancy: {@link io.crmkit.core.Crm}, the {@link io.crmkit.core.TenantScope}
 * every tenant service hangs off, transactions, actors, events, pages, and the dead letters of
 * items from outside that could not be stored ({@link io.crmkit.core.DeadLetters}). The services
 * and their records live in the sub-packages by area: {@code platform} (organizations, plans,
 * limits), {@code users}, {@code customers}, {@code pipeline}, and {@code exception}, the one
 * unchecked tree every call throws. Nothing in the API returns or accepts {@code null}; absent
 * values are {@link java.util.Optional}s and empty collections.
 */
package io.crmkit.core;
