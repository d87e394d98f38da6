package io.spidernet.spiderpool.webhook.server;

import io.fabric8.kubernetes.api.model.Namespace;
import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinition;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.webhook.rules.ClusterView;
import java.util.Collection;
import java.util.List;

/** A cluster without objects, for tests of the server alone. */
final class EmptyView implements ClusterView {
  @Override
  public Collection<SpiderIPPool> pools() {
    return List.of();
  }

  @Override
  public Collection<SpiderSubnet> subnets() {
    return List.of();
  }

  @Override
  public boolean poolStored(String name) {
    return false;
  }

  @Override
  public boolean subnetStored(String name) {
    return false;
  }

  @Override
  public SpiderSubnet subnet(String name) {
    return null;
  }

  @Override
  public NetworkAttachmentDefinition nad(String namespace, String name) {
    return null;
  }

  @Override
  public Collection<SpiderMultusConfig> multusConfigs() {
    return List.of();
  }

  @Override
  public Namespace namespace(String name) {
    return null;
  }

  @Override
  public void admitted(SpiderIPPool pool, String baseResourceVersion) {}

  @Override
  public void admitted(SpiderSubnet subnet, String baseResourceVersion) {}
}
