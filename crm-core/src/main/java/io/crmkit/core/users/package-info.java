/** An organization's members, their roles, and invitations. */
package io.crmkit.core.users;
