package io.spidernet.spiderpool.controller.coordinator;

import java.util.List;
import java.util.Map;

/**
 * What the cluster says about its pod and service CIDRs, read from wherever it says it (spec 6.7);
 * null where a source does not exist.
 *
 * @param cniConfigName the {@code name} of the first CNI configuration in the CNI directory (Multus's
 *     own skipped), for {@code podCIDRType: auto}
 * @param clusterPodCIDR {@code podSubnet} of kube-system/kubeadm-config, else {@code --cluster-cidr}
 *     of the kube-controller-manager pod
 * @param clusterServiceCIDR {@code serviceSubnet}, else {@code --service-cluster-ip-range}, likewise
 * @param serviceCIDRs the CIDRs of the ServiceCIDR objects, oldest first, where the API is served
 * @param calicoPoolCIDRs the CIDRs of enabled, non-deleting Calico IPPools, oldest first, where served
 * @param ciliumConfig the data of Cilium's ConfigMap
 * @param ciliumPoolCIDRs the CIDRs of every CiliumPodIPPool, where served
 */
public record ClusterFacts(String cniConfigName, List<String> clusterPodCIDR, List<String> clusterServiceCIDR,
    List<String> serviceCIDRs, List<String> calicoPoolCIDRs, Map<String, String> ciliumConfig, List<String> ciliumPoolCIDRs) {}
