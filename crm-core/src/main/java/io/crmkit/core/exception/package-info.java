/**
 * The exceptions every CRMKit call throws: one unchecked tree under
 * {@link io.crmkit.core.exception.CrmException}, each carrying what a caller needs to act (the
 * field, the existing record, the limit, whether a retry may succeed).
 */
package io.crmkit.core.exception;
