package io.spidernet.spiderpool.api.annotation;

/** Annotation names Spiderpool reads on pods, pod templates, namespaces and SpiderMultusConfigs. */
public final class Annotations {
  private static final String IPAM = "ipam.spidernet.io/";

  /** Pod: {@code {"ipv4":["p1"],"ipv6":["p6"]}}, candidate pools for the NIC being set up. */
  public static final String IPPOOL = IPAM + "ippool";
  /** Pod: multi-NIC pools, {@code [{"interface":"eth0","ipv4":[..],"ipv6":[..],"cleangateway":false}]}. */
  public static final String IPPOOLS = IPAM + "ippools";
  /** Pod template: SpiderSubnet auto-pool, {@code {"interface":"eth0","ipv4":["s4"],"ipv6":["s6"]}}. */
  public static final String SUBNET = IPAM + "subnet";
  /** Pod template: multi-NIC auto-pools. */
  public static final String SUBNETS = IPAM + "subnets";
  /** Pod template: auto-pool size, {@code "N"} or {@code "+N"} (replicas + N). */
  public static final String IPPOOL_IP_NUMBER = IPAM + "ippool-ip-number";
  /** Pod template: delete the auto-pool with the application ({@code true} by default). */
  public static final String IPPOOL_RECLAIM = IPAM + "ippool-reclaim";
  /** Pod: extra routes, {@code [{"dst":"10.0.0.0/16","gw":"192.168.1.1"}]}. */
  public static final String ROUTES = IPAM + "routes";
  /** Namespace: default IPv4 pools, {@code ["p1","p2"]}. */
  public static final String DEFAULT_IPV4_IPPOOL = IPAM + "default-ipv4-ippool";
  /** Namespace: default IPv6 pools. */
  public static final String DEFAULT_IPV6_IPPOOL = IPAM + "default-ipv6-ippool";
  /** Pod: the NIC that keeps the default route (coordinator). */
  public static final String DEFAULT_ROUTE_NIC = IPAM + "default-route-nic";
  /** Defined upstream, not used. */
  public static final String DNS = IPAM + "dns";

  /** Pod: the NAD of the first NIC, {@code ns/name} or Multus JSON. */
  public static final String MULTUS_DEFAULT_NETWORK = "v1.multus-cni.io/default-network";
  /** Pod: extra NADs, {@code ns/name@if,...} or Multus JSON. */
  public static final String MULTUS_NETWORKS = "k8s.v1.cni.cncf.io/networks";

  /** Pod or namespace: label value selecting SpiderMultusConfigs whose RDMA resources are injected. */
  public static final String RDMA_RESOURCE_INJECT = "cni.spidernet.io/rdma-resource-inject";
  /** Pod or namespace: label value selecting SpiderMultusConfigs whose network resources are injected. */
  public static final String NETWORK_RESOURCE_INJECT = "cni.spidernet.io/network-resource-inject";

  /** SpiderMultusConfig: NAD name override. */
  public static final String MULTUS_CR_NAME = "multus.spidernet.io/cr-name";
  /** SpiderMultusConfig: CNI version of the rendered config (default 0.3.1). */
  public static final String MULTUS_CNI_VERSION = "multus.spidernet.io/cni-version";
  /** SpiderMultusConfig: the {@code name} inside the CNI JSON (default: the NAD name). */
  public static final String CNI_CONFIG_NAME = "cni.spidernet.io/cniconfig-name";

  private Annotations() {}
}
