package io.spidernet.spiderpool.controller.coordinator;

import io.spidernet.spiderpool.api.v2beta1.CoordinatorStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A SpiderCoordinator's status from what the cluster says (spec 6.7), as a pure function: phase
 * {@code Synced} with the overlay pod CIDRs its {@code podCIDRType} points at and the service CIDRs,
 * or {@code NotReady} with the reason and both lists empty.
 *
 * <p>Deliberate difference: the cluster's own pod CIDR (kubeadm-config or the kube-controller-manager
 * pod) is required only when something uses it; where the ServiceCIDR API is served (Kubernetes 1.33
 * and later) the service CIDRs come from it, so a cluster without kubeadm (or whose
 * kube-controller-manager is no pod) is not NotReady for that alone. And with {@code auto}, Multus's
 * own configuration (usually the first file) is not taken for the cluster's CNI.
 */
public final class CoordinatorSync {
  public static final String SYNCED = "Synced";
  public static final String NOT_READY = "NotReady";

  private CoordinatorSync() {}

  public static CoordinatorStatus status(String podCIDRType, ClusterFacts f) {
    String type = podCIDRType == null || podCIDRType.isEmpty() ? "auto" : podCIDRType;
    if ("auto".equals(type)) {
      type = typeOfCni(f.cniConfigName());
    }
    List<String> service = f.serviceCIDRs() != null ? f.serviceCIDRs() : f.clusterServiceCIDR();
    if (service == null) {
      return notReady("the service CIDRs are unknown: no ServiceCIDR API, no ConfigMap kube-system/kubeadm-config and no "
          + "kube-controller-manager pod");
    }
    List<String> overlay;
    switch (type) {
      case "none" -> overlay = List.of();
      case "cluster" -> {
        if (f.clusterPodCIDR() == null) {
          return notReady("podCIDRType cluster: the cluster's pod CIDR is unknown (no ConfigMap kube-system/kubeadm-config "
              + "and no kube-controller-manager pod)");
        }
        overlay = f.clusterPodCIDR();
      }
      case "calico" -> {
        if (f.calicoPoolCIDRs() == null) {
          return notReady("podCIDRType calico: Calico IPPools (crd.projectcalico.org/v1) are not served");
        }
        overlay = f.calicoPoolCIDRs();
      }
      case "cilium" -> {
        Map<String, String> cfg = f.ciliumConfig();
        if (cfg == null) {
          return notReady("podCIDRType cilium: Cilium's ConfigMap is not found");
        }
        String ipam = cfg.getOrDefault("ipam", "cluster-pool");
        switch (ipam) {
          case "cluster-pool", "cluster-pool-v2beta" -> {
            overlay = new ArrayList<>();
            for (String key : List.of("cluster-pool-ipv4-cidr", "cluster-pool-ipv6-cidr")) {
              String v = cfg.get(key);
              if (v != null && !v.isBlank()) {
                overlay.addAll(split(v));
              }
            }
          }
          case "multi-pool" -> overlay = f.ciliumPoolCIDRs() == null ? List.of() : f.ciliumPoolCIDRs();
          case "kubernetes" -> {
            if (f.clusterPodCIDR() == null) {
              return notReady("podCIDRType cilium with ipam kubernetes: the cluster's pod CIDR is unknown");
            }
            overlay = f.clusterPodCIDR();
          }
          default -> {
            return notReady("podCIDRType cilium: Cilium's ipam mode " + ipam + " is not supported");
          }
        }
      }
      default -> {
        return notReady("podCIDRType " + type + " is not one of auto, cluster, calico, cilium, none");
      }
    }
    CoordinatorStatus s = new CoordinatorStatus();
    s.phase = SYNCED;
    s.overlayPodCIDR = List.copyOf(overlay);
    s.serviceCIDR = List.copyOf(service);
    return s;
  }

  /** {@code auto}: what the first CNI configuration's name says the cluster runs. */
  static String typeOfCni(String name) {
    if (name == null) {
      return "none";
    }
    return switch (name) {
      case "calico", "k8s-pod-network" -> "calico";
      case "cilium" -> "cilium";
      case "flannel" -> "cluster";
      default -> "none";
    };
  }

  /** A comma-separated list of CIDRs. */
  static List<String> split(String list) {
    List<String> out = new ArrayList<>();
    for (String s : list.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  private static CoordinatorStatus notReady(String reason) {
    CoordinatorStatus s = new CoordinatorStatus();
    s.phase = NOT_READY;
    s.reason = reason;
    s.overlayPodCIDR = List.of();
    s.serviceCIDR = List.of();
    return s;
  }
}
