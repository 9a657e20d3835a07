/** The contract between crm-core and the other CRMKit modules. */
package io.crmkit.core.spi;
