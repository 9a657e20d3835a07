package io.crmkit.core.internal;

import io.crmkit.core.spi.CrmModule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/** Finds the modules on the classpath and puts them in dependency order. */
public final class ModuleOrder {
  private ModuleOrder() {}

  /**
   * The modules {@link ServiceLoader} finds with {@code classLoader}, each replaced by the
   * configured one of the same name if the host gave one (or joined by it, if not found), in
   * dependency order.
   */
  public static List<CrmModule> discover(ClassLoader classLoader, List<CrmModule> configured) {
    Map<String, CrmModule> given = new LinkedHashMap<>();
    for (CrmModule module : configured) {
      if (given.putIfAbsent(module.name(), module) != null) {
        throw new IllegalStateException("module " + module.name() + " was given to Crm.builder().module(…) twice");
      }
    }
    List<CrmModule> found = new ArrayList<>();
    ServiceLoader.load(CrmModule.class, classLoader).forEach(m -> {
      if (!given.containsKey(m.name())) {
        found.add(m);
      }
    });
    found.addAll(given.values());
    return order(found);
  }

  /**
   * Orders modules so each comes after those it depends on; ties keep name order, so the order is
   * the same on every machine.
   *
   * @throws IllegalStateException for a duplicate name, a missing dependency or a cycle
   */
  public static List<CrmModule> order(List<CrmModule> modules) {
    Map<String, CrmModule> byName = new LinkedHashMap<>();
    modules.stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(m -> {
      if (!m.name().matches("[a-z][a-z0-9_]{0,30}")) {
        throw new IllegalStateException("module name must be lowercase letters, digits or '_': " + m.name());
      }
      if (byName.putIfAbsent(m.name(), m) != null) {
        throw new IllegalStateException("two modules named " + m.name() + " on the classpath");
      }
    });
    List<CrmModule> ordered = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (CrmModule module : byName.values()) {
      visit(module, byName, done, new ArrayList<>(), ordered);
    }
    return List.copyOf(ordered);
  }

  private static void visit(CrmModule module, Map<String, CrmModule> byName, Set<String> done, List<String> path,
      List<CrmModule> ordered) {
    if (done.contains(module.name())) {
      return;
    }
    if (path.contains(module.name())) {
      path.add(module.name());
      throw new IllegalStateException("module dependency cycle: " + String.join(" -> ", path));
    }
    path.add(module.name());
    for (String dependency : module.dependsOn()) {
      CrmModule required = byName.get(dependency);
      if (required == null) {
        throw new IllegalStateException("module " + module.name() + " needs module " + dependency
            + ", which is not on the classpath; add its artifact (see crm-bom)");
      }
      visit(required, byName, done, path, ordered);
    }
    path.remove(path.size() - 1);
    done.add(module.name());
    ordered.add(module);
  }
}
