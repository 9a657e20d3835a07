/**
 * CRMKit's test kit for host applications: {@link io.crmkit.testkit.CrmTestKit} starts a migrated
 * CRM on a real PostgreSQL, connected as the runtime role, and drops its database when closed;
 * {@link io.crmkit.testkit.TenancyCheck} checks the whole schema's tenancy rules and attacks one
 * tenant's rows as another. Nothing here returns or accepts {@code null}.
 */
package io.crmkit.testkit;
