/** Implementation: mappers, SQL, rows, transactions. Not API; may change in any release. */
package io.crmkit.core.internal;
