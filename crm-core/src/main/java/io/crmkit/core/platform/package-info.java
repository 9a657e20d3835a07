/**
 * Organizations and the plans they are on: provisioning and plan changes by the platform
 * ({@link io.crmkit.core.platform.Platform}), each organization's settings, and the limits and
 * features its plan grants ({@link io.crmkit.core.platform.Entitlements}).
 */
package io.crmkit.core.platform;
