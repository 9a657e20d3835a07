package io.crmkit.core.spi;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import java.util.List;
import java.util.function.Function;

/**
 * What a module is given while a {@link Crm} is built ({@link CrmModule#install}): the Crm, and
 * the registries through which hosts reach the module's services. Tenant services are reached
 * from a scope ({@code scope.service(TicketService.class)}), also inside
 * {@code scope.inTransaction(tx -> …)}, where they join that transaction; services across tenants
 * (webhooks, jobs) from the Crm ({@code crm.service(WhatsAppWebhook.class)}). Extensions are hooks
 * one module defines and another implements (a bridge between two modules).
 *
 * <p>Registration happens during {@code install} only; lookups work for the Crm's whole life.
 */
public interface ModuleContext {

  /** The Crm being built; its services may be called once {@code Crm.Builder.build()} returns. */
  Crm crm();

  /**
   * Makes a tenant service reachable from every scope: {@code factory} makes one for a scope (it
   * should be cheap and stateless, acting as the scope's actor in the scope's transaction).
   *
   * @throws IllegalStateException if another module registered {@code type} already
   */
  <T> void tenantService(Class<T> type, Function<TenantScope, ? extends T> factory);

  /**
   * Makes a service across tenants (a webhook handler, a job) reachable from the Crm.
   *
   * @throws IllegalStateException if another module registered {@code type} already
   */
  <T> void crmService(Class<T> type, T service);

  /**
   * Says why a service the module has is not offered by this Crm (a setting it needs was left out):
   * a lookup of {@code type} fails at once with an {@link IllegalStateException} giving
   * {@code reason}, when the host wires it, rather than at its first use.
   */
  void unavailable(Class<?> type, String reason);

  /**
   * Makes this module the one that replays dead letters of {@code source} (e.g.
   * {@code whatsapp.webhook}): {@link io.crmkit.core.DeadLetters#replay} hands their items to
   * {@code replayer}. The module writes them with {@link DeadLetterBox#keep}.
   *
   * @throws IllegalArgumentException if {@code source} is not lowercase words joined by dots
   * @throws IllegalStateException if another module registered {@code source} already
   */
  void deadLetterSource(String source, DeadLetterReplayer replayer);

  /** Offers {@code implementation} for the extension point {@code type} another module defines. */
  <T> void extension(Class<T> type, T implementation);

  /**
   * The implementations modules offered for {@code type}, in module order; complete once the Crm
   * is built, so read it when a service is made, not during {@code install}.
   */
  <T> List<T> extensions(Class<T> type);
}
