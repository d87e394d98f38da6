package io.spidernet.spiderpool.controller.coordinator;

import io.spidernet.spiderpool.api.v2beta1.CoordinatorStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderCoordinator;
import io.spidernet.spiderpool.controller.runtime.Decision;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.controller.runtime.Reconciler;
import io.spidernet.spiderpool.core.kube.Kube;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the status of the default SpiderCoordinator true (spec 6.7): {@code Synced} with the overlay
 * pod CIDRs and service CIDRs the cluster reports, or {@code NotReady} with the reason and a Warning
 * Event {@code ClusterNotReady}. Looks again every resync period, so a change of kubeadm-config,
 * Cilium's ConfigMap, Calico or Cilium pools or ServiceCIDRs shows within it; a change of the
 * coordinator itself shows at once. Other coordinators than the default are left alone.
 */
public final class CoordinatorReconciler implements Reconciler {
  public static final String CLUSTER_NOT_READY = "ClusterNotReady";
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorReconciler.class);

  private final Kube kube;
  private final String name;
  private final Function<String, SpiderCoordinator> cache;
  private final ClusterSources sources;
  private final Events events;
  private final Duration resync;

  public CoordinatorReconciler(Kube kube, String name, Function<String, SpiderCoordinator> cache, ClusterSources sources,
      Events events, Duration resync) {
    this.kube = kube;
    this.name = name;
    this.cache = cache;
    this.sources = sources;
    this.events = events;
    this.resync = resync;
  }

  @Override
  public String name() {
    return "spidercoordinator";
  }

  @Override
  public Future<Decision> reconcile(String key) {
    SpiderCoordinator coordinator = cache.apply(key);
    if (!name.equals(key) || coordinator == null || coordinator.getMetadata().getDeletionTimestamp() != null) {
      return Future.succeededFuture(Decision.DONE);
    }
    String podCIDRType = coordinator.getSpec() == null ? null : coordinator.getSpec().podCIDRType;
    return kube.call(() -> {
      CoordinatorStatus want = CoordinatorSync.status(podCIDRType, sources.read());
      CoordinatorStatus have = coordinator.getStatus();
      if (have != null && same(have, want)) {
        return null;
      }
      SpiderCoordinator copy = kube.client().getKubernetesSerialization().clone(coordinator);
      copy.setStatus(want);
      kube.client().resource(copy).updateStatus();
      return want;
    }).map(written -> {
      if (written != null) {
        LOG.info("SpiderCoordinator {}: {}{}", key, written.phase, written.reason == null ? ""
            : " (" + written.reason + ")");
        if (CoordinatorSync.NOT_READY.equals(written.phase)) {
          events.emit(coordinator, "Warning", CLUSTER_NOT_READY, written.reason);
        }
      }
      return Decision.requeueAfter(resync);
    });
  }

  private static boolean same(CoordinatorStatus a, CoordinatorStatus b) {
    return Objects.equals(a.phase, b.phase) && Objects.equals(a.reason, b.reason)
        && Objects.equals(a.overlayPodCIDR, b.overlayPodCIDR) && Objects.equals(a.serviceCIDR, b.serviceCIDR);
  }
}
