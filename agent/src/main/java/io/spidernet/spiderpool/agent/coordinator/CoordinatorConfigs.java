package io.spidernet.spiderpool.agent.coordinator;

import io.fabric8.kubernetes.api.model.Pod;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.kube.KubeNames;
import io.spidernet.spiderpool.agent.server.AgentApi;
import io.spidernet.spiderpool.api.annotation.AnnotationException;
import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.annotation.MultusAnnotations;
import io.spidernet.spiderpool.api.v2beta1.CoordinatorSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderCoordinator;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code GET /v1/coordinator/config} (spec 4.1): the coordinator plugin's settings, from the first
 * SpiderCoordinator, which must be {@code Synced}; a pod's {@code default-route-nic} annotation
 * overrides {@code podDefaultRouteNIC}. Both CIDR lists are always sent (quirk 10.13).
 */
public final class CoordinatorConfigs {
  private final Kube kube;

  public CoordinatorConfigs(Kube kube) {
    this.kube = kube;
  }

  public Future<AgentApi.CoordinatorConfig> of(String podNamespace, String podName) {
    return kube.call(() -> {
      List<SpiderCoordinator> all = kube.client().resources(SpiderCoordinator.class).list().getItems();
      if (all.isEmpty()) {
        throw new IpamException(IpamException.Reason.NOT_READY, "no SpiderCoordinator exists; the controller creates 'default'");
      }
      SpiderCoordinator c = all.get(0);
      String name = c.getMetadata().getName();
      if (c.getStatus() == null || !"Synced".equals(c.getStatus().phase)) {
        throw new IpamException(IpamException.Reason.NOT_READY, "spidercoordinator: " + name + " no ready"
            + (c.getStatus() != null && c.getStatus().reason != null ? ": " + c.getStatus().reason : ""));
      }
      String routeNic = c.getSpec() == null ? null : c.getSpec().podDefaultRouteNIC;
      if (podNamespace != null && podName != null) {
        Pod pod = kube.client().pods().inNamespace(KubeNames.namespace("pod namespace", podNamespace))
            .withName(KubeNames.object("pod name", podName)).get();
        String annotated = pod == null || pod.getMetadata().getAnnotations() == null ? null
            : pod.getMetadata().getAnnotations().get(Annotations.DEFAULT_ROUTE_NIC);
        if (annotated != null) {
          try {
            routeNic = MultusAnnotations.defaultRouteNic(annotated);
          } catch (AnnotationException e) {
            throw new IpamException(IpamException.Reason.BAD_INPUT, "wrong input, pod " + podNamespace + "/" + podName + ": " + e.getMessage());
          }
        }
      }
      CoordinatorSpec spec = c.getSpec() == null ? new CoordinatorSpec() : c.getSpec();
      return new AgentApi.CoordinatorConfig(
          spec.mode == null ? "auto" : spec.mode,
          c.getStatus().overlayPodCIDR == null ? List.of() : c.getStatus().overlayPodCIDR,
          c.getStatus().serviceCIDR == null ? List.of() : c.getStatus().serviceCIDR,
          spec.hijackCIDR, spec.policyRoutes, spec.podMACPrefix,
          spec.tunePodRoutes == null || spec.tunePodRoutes, routeNic, spec.hostRuleTable, spec.podRPFilter,
          spec.txQueueLen, spec.vethLinkAddress, spec.vethMTU);
    });
  }
}
