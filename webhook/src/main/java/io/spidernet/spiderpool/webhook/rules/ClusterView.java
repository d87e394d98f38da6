package io.spidernet.spiderpool.webhook.rules;

import io.fabric8.kubernetes.api.model.Namespace;
import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinition;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import java.util.Collection;

/**
 * What cross-object rules read: informer copies, plus every object this webhook admitted that the
 * informers have not shown yet (so two overlapping pools sent back to back cannot both pass).
 * Read-only; never blocks.
 */
public interface ClusterView {
  Collection<SpiderIPPool> pools();

  Collection<SpiderSubnet> subnets();

  /** Whether the informer holds a stored pool of that name (admitted ones do not count). */
  boolean poolStored(String name);

  /** Whether the informer holds a stored subnet of that name. */
  boolean subnetStored(String name);

  /** The subnet of that name, or null. */
  SpiderSubnet subnet(String name);

  /** The NetworkAttachmentDefinition, or null. */
  NetworkAttachmentDefinition nad(String namespace, String name);

  Collection<SpiderMultusConfig> multusConfigs();

  /** The namespace, or null. */
  Namespace namespace(String name);

  /**
   * A pool was just admitted: until the informers show a newer version of it (or a short time has
   * passed, in case the API server did not store it), {@link #pools()} returns it.
   *
   * @param baseResourceVersion the version it replaces (UPDATE), or null (CREATE)
   */
  void admitted(SpiderIPPool pool, String baseResourceVersion);

  /** As {@link #admitted(SpiderIPPool, String)}, for a subnet. */
  void admitted(SpiderSubnet subnet, String baseResourceVersion);
}
