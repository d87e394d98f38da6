package io.spidernet.spiderpool.controller.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.api.v2beta1.CoordinatorStatus;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Spec 6.7: what the default SpiderCoordinator's status says, for what the cluster says. */
class CoordinatorSyncTest {
  static final List<String> POD = List.of("10.233.64.0/18");
  static final List<String> SVC = List.of("10.233.0.0/18");
  static final List<String> SERVICE_CIDRS = List.of("10.96.0.0/16", "fd00:96::/112");

  record Row(String situation, String podCIDRType, ClusterFacts facts, String phase, List<String> overlay, List<String> service,
      String reason) {
    @Override
    public String toString() {
      return situation;
    }
  }

  static ClusterFacts facts(String cni, List<String> pod, List<String> svc, List<String> serviceCIDRs, List<String> calico,
      Map<String, String> cilium, List<String> ciliumPools) {
    return new ClusterFacts(cni, pod, svc, serviceCIDRs, calico, cilium, ciliumPools);
  }

  static Stream<Row> table() {
    ClusterFacts kubeadm = facts(null, POD, SVC, null, null, null, null);
    return Stream.of(
        new Row("cluster: kubeadm's pod and service subnets", "cluster", kubeadm, "Synced", POD, SVC, null),
        new Row("ServiceCIDR objects win over kubeadm", "cluster", facts(null, POD, SVC, SERVICE_CIDRS, null, null, null), "Synced",
            POD, SERVICE_CIDRS, null),
        new Row("none: no overlay CIDR", "none", kubeadm, "Synced", List.of(), SVC, null),
        new Row("no kubeadm, no kube-controller-manager pod, no ServiceCIDR API", "none", facts(null, null, null, null, null, null,
            null), "NotReady", List.of(), List.of(), "the service CIDRs are unknown"),
        new Row("without kubeadm, none still syncs where ServiceCIDRs are served", "none",
            facts(null, null, null, SERVICE_CIDRS, null, null, null), "Synced", List.of(), SERVICE_CIDRS, null),
        new Row("cluster without a known pod CIDR", "cluster", facts(null, null, null, SERVICE_CIDRS, null, null, null), "NotReady",
            List.of(), List.of(), "the cluster's pod CIDR is unknown"),
        new Row("calico: the enabled pools", "calico", facts(null, POD, SVC, null, List.of("10.244.0.0/16", "10.245.0.0/16"), null,
            null), "Synced", List.of("10.244.0.0/16", "10.245.0.0/16"), SVC, null),
        new Row("calico not served", "calico", kubeadm, "NotReady", List.of(), List.of(), "Calico IPPools"),
        new Row("cilium cluster-pool, dual stack", "cilium", facts(null, POD, SVC, null, null, Map.of("ipam", "cluster-pool",
            "cluster-pool-ipv4-cidr", "10.0.0.0/8", "cluster-pool-ipv6-cidr", "fd00::/104"), null), "Synced",
            List.of("10.0.0.0/8", "fd00::/104"), SVC, null),
        new Row("cilium multi-pool", "cilium", facts(null, POD, SVC, null, null, Map.of("ipam", "multi-pool"),
            List.of("10.10.0.0/16")), "Synced", List.of("10.10.0.0/16"), SVC, null),
        new Row("cilium kubernetes: the cluster's pod CIDR", "cilium", facts(null, POD, SVC, null, null, Map.of("ipam", "kubernetes"),
            null), "Synced", POD, SVC, null),
        new Row("cilium eni is not supported", "cilium", facts(null, POD, SVC, null, null, Map.of("ipam", "eni"), null), "NotReady",
            List.of(), List.of(), "ipam mode eni"),
        new Row("cilium without its ConfigMap", "cilium", kubeadm, "NotReady", List.of(), List.of(), "ConfigMap is not found"),
        new Row("auto, Calico's CNI config first", "auto", facts("k8s-pod-network", POD, SVC, null, List.of("10.244.0.0/16"), null,
            null), "Synced", List.of("10.244.0.0/16"), SVC, null),
        new Row("auto, flannel means the cluster's CIDR", "auto", facts("flannel", POD, SVC, null, null, null, null), "Synced", POD,
            SVC, null),
        new Row("auto, anything else means none", "auto", facts("macvlan-standalone", POD, SVC, null, null, null, null), "Synced",
            List.of(), SVC, null),
        new Row("auto, no CNI config", "auto", facts(null, POD, SVC, null, null, null, null), "Synced", List.of(), SVC, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void row(Row row) {
    CoordinatorStatus s = CoordinatorSync.status(row.podCIDRType(), row.facts());
    assertThat(s.phase).isEqualTo(row.phase());
    assertThat(s.overlayPodCIDR).isEqualTo(row.overlay());
    assertThat(s.serviceCIDR).isEqualTo(row.service());
    if (row.reason() == null) {
      assertThat(s.reason).isNull();
    } else {
      assertThat(s.reason).contains(row.reason());
    }
  }
}
