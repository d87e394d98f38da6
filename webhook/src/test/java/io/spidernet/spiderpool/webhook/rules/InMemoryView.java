package io.spidernet.spiderpool.webhook.rules;

import io.fabric8.kubernetes.api.model.Namespace;
import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinition;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link ClusterView} over lists the test fills: what the informers would hold, plus what was admitted. */
final class InMemoryView implements ClusterView {
  final Map<String, SpiderIPPool> pools = new LinkedHashMap<>();
  final Map<String, SpiderSubnet> subnets = new LinkedHashMap<>();
  final List<NetworkAttachmentDefinition> nads = new ArrayList<>();
  final List<SpiderMultusConfig> multusConfigs = new ArrayList<>();
  final Map<String, Namespace> namespaces = new LinkedHashMap<>();
  final List<String> admitted = new ArrayList<>();

  @Override
  public Collection<SpiderIPPool> pools() {
    return pools.values();
  }

  @Override
  public Collection<SpiderSubnet> subnets() {
    return subnets.values();
  }

  @Override
  public boolean poolStored(String name) {
    return pools.containsKey(name) && !admitted.contains(name);
  }

  @Override
  public boolean subnetStored(String name) {
    return subnets.containsKey(name) && !admitted.contains(name);
  }

  @Override
  public SpiderSubnet subnet(String name) {
    return subnets.get(name);
  }

  @Override
  public NetworkAttachmentDefinition nad(String namespace, String name) {
    return nads.stream().filter(n -> n.getMetadata().getNamespace().equals(namespace) && n.getMetadata().getName().equals(name))
        .findFirst().orElse(null);
  }

  @Override
  public Collection<SpiderMultusConfig> multusConfigs() {
    return multusConfigs;
  }

  @Override
  public Namespace namespace(String name) {
    return namespaces.get(name);
  }

  @Override
  public void admitted(SpiderIPPool pool, String baseResourceVersion) {
    pools.put(pool.getMetadata().getName(), pool);
    admitted.add(pool.getMetadata().getName());
  }

  @Override
  public void admitted(SpiderSubnet subnet, String baseResourceVersion) {
    subnets.put(subnet.getMetadata().getName(), subnet);
    admitted.add(subnet.getMetadata().getName());
  }
}
