/** The sales pipeline: its stages, their probabilities, and the forecast. */
package io.crmkit.core.pipeline;
