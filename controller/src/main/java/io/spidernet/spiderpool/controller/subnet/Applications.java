package io.spidernet.spiderpool.controller.subnet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Whether the application an auto-pool entry names ({@code <group>_<version>_<Kind>_<ns>_<name>},
 * {@code v1_Pod_<ns>_<name>} for the core group) still exists: one uncached GET. Blocking: call it on
 * a worker thread. An entry that cannot be read names nothing that exists.
 */
public final class Applications implements Predicate<String> {
  private final KubernetesClient client;

  public Applications(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public boolean test(String application) {
    String[] p = application.split("_");
    if (p.length != 4 && p.length != 5) {
      return false;
    }
    int o = p.length - 4;
    String group = o == 1 ? p[0] : "";
    String kind = p[o + 1];
    ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(p[o])
        .withKind(kind).withPlural(kind.toLowerCase(Locale.ROOT) + "s").withNamespaced(true).build();
    return client.genericKubernetesResources(context).inNamespace(p[o + 2]).withName(p[o + 3]).get() != null;
  }
}
