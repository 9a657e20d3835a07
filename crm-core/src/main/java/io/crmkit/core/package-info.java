/**
 * CRMKit's public API: {@link io.crmkit.core.Crm}, the tenant scope and its services, and the
 * immutable records they take and return. Nothing here returns or accepts {@code null}; absent
 * values are {@link java.util.Optional}s and empty collections.
 */
package io.crmkit.core;
