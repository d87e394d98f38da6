package io.spidernet.spiderpool.webhook.cache;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinition;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.webhook.rules.ClusterView;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The webhooks' view of the cluster: informers on pools, subnets, SpiderMultusConfigs,
 * NetworkAttachmentDefinitions (and namespaces, for the pod webhook), with what was just admitted
 * laid over them. Reads never block; no informer callback runs our code.
 */
public final class AdmissionCache implements ClusterView, AutoCloseable {
  /** How long an admitted object stands in for the informer's copy: far above informer lag, short enough to forget a write that never landed. */
  static final Duration ADMITTED_TTL = Duration.ofSeconds(30);

  private final SharedIndexInformer<SpiderIPPool> pools;
  private final SharedIndexInformer<SpiderSubnet> subnets;
  private final SharedIndexInformer<SpiderMultusConfig> multusConfigs;
  private final SharedIndexInformer<NetworkAttachmentDefinition> nads;
  private final SharedIndexInformer<Namespace> namespaces;
  private final Admitted<SpiderIPPool> admittedPools = new Admitted<>(ADMITTED_TTL.toNanos(), System::nanoTime);
  private final Admitted<SpiderSubnet> admittedSubnets = new Admitted<>(ADMITTED_TTL.toNanos(), System::nanoTime);

  private AdmissionCache(KubernetesClient client, boolean withNamespaces) {
    this.pools = client.resources(SpiderIPPool.class).runnableInformer(0);
    this.subnets = client.resources(SpiderSubnet.class).runnableInformer(0);
    this.multusConfigs = client.resources(SpiderMultusConfig.class).inAnyNamespace().runnableInformer(0);
    this.nads = client.resources(NetworkAttachmentDefinition.class).inAnyNamespace().runnableInformer(0);
    this.namespaces = withNamespaces ? client.namespaces().runnableInformer(0) : null;
  }

  /** Starts the informers; completes when they have synced. Callable from an event loop. */
  public static Future<AdmissionCache> start(Kube kube, boolean withNamespaces) {
    AdmissionCache cache = new AdmissionCache(kube.client(), withNamespaces);
    return kube.callUnbounded(() -> {
      for (SharedIndexInformer<?> informer : cache.informers()) {
        informer.start().toCompletableFuture().get();
      }
      return cache;
    });
  }

  private List<SharedIndexInformer<?>> informers() {
    List<SharedIndexInformer<?>> all = new ArrayList<>(List.of(pools, subnets, multusConfigs, nads));
    if (namespaces != null) {
      all.add(namespaces);
    }
    return all;
  }

  /** The pool informer, for reconcilers of the same process that react to pool changes (one watch, one copy). */
  public SharedIndexInformer<SpiderIPPool> poolInformer() {
    return pools;
  }

  /** The subnet informer, shared likewise. */
  public SharedIndexInformer<SpiderSubnet> subnetInformer() {
    return subnets;
  }

  /** The SpiderMultusConfig informer, shared likewise. */
  public SharedIndexInformer<SpiderMultusConfig> multusConfigInformer() {
    return multusConfigs;
  }

  /** The NetworkAttachmentDefinition informer, shared likewise. */
  public SharedIndexInformer<NetworkAttachmentDefinition> nadInformer() {
    return nads;
  }

  public boolean synced() {
    return informers().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public Collection<SpiderIPPool> pools() {
    return admittedPools.over(pools.getStore().list());
  }

  @Override
  public Collection<SpiderSubnet> subnets() {
    return admittedSubnets.over(subnets.getStore().list());
  }

  @Override
  public boolean poolStored(String name) {
    return pools.getStore().getByKey(name) != null;
  }

  @Override
  public boolean subnetStored(String name) {
    return subnets.getStore().getByKey(name) != null;
  }

  @Override
  public SpiderSubnet subnet(String name) {
    return admittedSubnets.over(name, subnets.getStore().getByKey(name));
  }

  @Override
  public NetworkAttachmentDefinition nad(String namespace, String name) {
    return nads.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
  }

  @Override
  public Collection<SpiderMultusConfig> multusConfigs() {
    return multusConfigs.getStore().list();
  }

  @Override
  public Namespace namespace(String name) {
    return namespaces == null ? null : namespaces.getStore().getByKey(name);
  }

  @Override
  public void admitted(SpiderIPPool pool, String baseResourceVersion) {
    admittedPools.put(pool, baseResourceVersion);
  }

  @Override
  public void admitted(SpiderSubnet subnet, String baseResourceVersion) {
    admittedSubnets.put(subnet, baseResourceVersion);
  }

  @Override
  public void close() {
    informers().forEach(SharedIndexInformer::close);
  }
}
