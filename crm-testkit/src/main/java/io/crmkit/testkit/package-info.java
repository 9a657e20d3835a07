/**
 * CRMKit's test kit for host applications: {@link io.crmkit.testkit.CrmTestKit} starts a migrated
 * CRM on a real PostgreSQL, connected as the runtime role, and drops its database when closed.
 * Nothing here returns or accepts {@code null}.
 */
package io.crmkit.testkit;
