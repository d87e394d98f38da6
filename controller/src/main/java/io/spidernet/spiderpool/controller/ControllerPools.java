package io.spidernet.spiderpool.controller;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;
import io.spidernet.spiderpool.core.ippool.PoolCache;
import java.util.List;

/**
 * The controller's pools for the shared write path: the admission cache's informer (what is stored,
 * never what was only admitted). The controller releases and recounts, it never allocates, so
 * reserved IPs are not needed.
 */
final class ControllerPools implements PoolCache {
  private final SharedIndexInformer<SpiderIPPool> informer;

  ControllerPools(SharedIndexInformer<SpiderIPPool> informer) {
    this.informer = informer;
  }

  @Override
  public SpiderIPPool pool(String name) {
    return informer.getStore().getByKey(name);
  }

  @Override
  public List<SpiderIPPool> pools() {
    return informer.getStore().list();
  }

  @Override
  public List<SpiderReservedIP> reservedIPs() {
    return List.of();
  }
}
