package io.spidernet.spiderpool.controller.coordinator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@link ClusterFacts} from the cluster and the controller host's CNI directory. Blocking:
 * call it on a worker thread.
 */
public final class ClusterSources {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String MULTUS_NETWORK = "multus-cni-network";

  private final KubernetesClient client;
  private final Path cniDir;
  private final String ciliumNamespace;
  private final String ciliumName;

  /** @param ciliumConfigMap {@code namespace/name} of Cilium's ConfigMap */
  public ClusterSources(KubernetesClient client, Path cniDir, String ciliumConfigMap) {
    this.client = client;
    this.cniDir = cniDir;
    int slash = ciliumConfigMap.indexOf('/');
    this.ciliumNamespace = slash < 0 ? "kube-system" : ciliumConfigMap.substring(0, slash);
    this.ciliumName = ciliumConfigMap.substring(slash + 1);
  }

  /**
   * Informers on every source {@link #read} reads that the API server serves: kubeadm-config, Cilium's
   * ConfigMap, the kube-controller-manager pods, ServiceCIDRs, Calico IPPools and CiliumPodIPPools;
   * any change to them calls for a new read. Blocking (it asks which kinds are served): worker thread.
   */
  public List<SharedIndexInformer<?>> informers() {
    List<SharedIndexInformer<?>> out = new ArrayList<>();
    out.add(client.configMaps().inNamespace("kube-system").withName("kubeadm-config").runnableInformer(0));
    out.add(client.configMaps().inNamespace(ciliumNamespace).withName(ciliumName).runnableInformer(0));
    out.add(client.pods().inNamespace("kube-system").withLabel("component", "kube-controller-manager").runnableInformer(0));
    for (String[] kind : new String[][] {{"networking.k8s.io", "v1", "ServiceCIDR", "servicecidrs"},
        {"crd.projectcalico.org", "v1", "IPPool", "ippools"}, {"cilium.io", "v2alpha1", "CiliumPodIPPool", "ciliumpodippools"}}) {
      if (listOrNull(kind[0], kind[1], kind[2], kind[3]) != null) {
        out.add(client.genericKubernetesResources(context(kind[0], kind[1], kind[2], kind[3])).runnableInformer(0));
      }
    }
    return out;
  }

  public ClusterFacts read() {
    List<String> pod = null;
    List<String> service = null;
    ConfigMap kubeadm = client.configMaps().inNamespace("kube-system").withName("kubeadm-config").get();
    String clusterConfiguration = kubeadm == null || kubeadm.getData() == null ? null : kubeadm.getData().get("ClusterConfiguration");
    if (clusterConfiguration != null) {
      Map<?, ?> cfg = client.getKubernetesSerialization().unmarshal(clusterConfiguration, Map.class);
      if (cfg != null && cfg.get("networking") instanceof Map<?, ?> networking) {
        pod = networking.get("podSubnet") instanceof String s ? CoordinatorSync.split(s) : null;
        service = networking.get("serviceSubnet") instanceof String s ? CoordinatorSync.split(s) : null;
      }
    }
    if (pod == null || service == null) {
      List<Pod> kcm = client.pods().inNamespace("kube-system").withLabel("component", "kube-controller-manager").list().getItems();
      if (!kcm.isEmpty()) {
        List<String> args = new ArrayList<>();
        kcm.get(0).getSpec().getContainers().forEach(c -> {
          if (c.getCommand() != null) {
            args.addAll(c.getCommand());
          }
          if (c.getArgs() != null) {
            args.addAll(c.getArgs());
          }
        });
        pod = pod != null ? pod : flag(args, "--cluster-cidr=");
        service = service != null ? service : flag(args, "--service-cluster-ip-range=");
      }
    }
    ConfigMap cilium = client.configMaps().inNamespace(ciliumNamespace).withName(ciliumName).get();
    return new ClusterFacts(cniConfigName(), pod, service, serviceCIDRs(), calicoPools(),
        cilium == null ? null : cilium.getData() == null ? Map.of() : cilium.getData(), ciliumPools());
  }

  private static List<String> flag(List<String> args, String prefix) {
    return args.stream().filter(a -> a.startsWith(prefix)).findFirst().map(a -> CoordinatorSync.split(a.substring(prefix.length())))
        .orElse(null);
  }

  /** The name in the first CNI configuration file (sorted as the runtime sorts them), Multus's skipped; null if none. */
  String cniConfigName() {
    if (!Files.isDirectory(cniDir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(cniDir)) {
      for (Path f : files.filter(p -> p.toString().matches(".*\\.(conf|conflist|json)$")).sorted().toList()) {
        try {
          JsonNode name = JSON.readTree(Files.readString(f)).get("name");
          if (name != null && name.isString() && !MULTUS_NETWORK.equals(name.asString())) {
            return name.asString();
          }
        } catch (IOException | RuntimeException unreadable) {
          // not a CNI configuration: the runtime skips it too
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private List<String> serviceCIDRs() {
    List<GenericKubernetesResource> items = listOrNull("networking.k8s.io", "v1", "ServiceCIDR", "servicecidrs");
    if (items == null) {
      items = listOrNull("networking.k8s.io", "v1beta1", "ServiceCIDR", "servicecidrs");
    }
    if (items == null) {
      return null;
    }
    List<String> cidrs = new ArrayList<>();
    oldestFirst(items).forEach(r -> cidrs.addAll(strings(r.get("spec", "cidrs"))));
    return cidrs;
  }

  private List<String> calicoPools() {
    List<GenericKubernetesResource> items = listOrNull("crd.projectcalico.org", "v1", "IPPool", "ippools");
    if (items == null) {
      return null;
    }
    List<String> cidrs = new ArrayList<>();
    for (GenericKubernetesResource r : oldestFirst(items)) {
      if (r.getMetadata().getDeletionTimestamp() == null && !Boolean.TRUE.equals(r.get("spec", "disabled"))
          && r.get("spec", "cidr") instanceof String cidr) {
        cidrs.add(cidr);
      }
    }
    return cidrs;
  }

  private List<String> ciliumPools() {
    List<GenericKubernetesResource> items = listOrNull("cilium.io", "v2alpha1", "CiliumPodIPPool", "ciliumpodippools");
    if (items == null) {
      return null;
    }
    List<String> cidrs = new ArrayList<>();
    for (GenericKubernetesResource r : oldestFirst(items)) {
      cidrs.addAll(strings(r.get("spec", "ipv4", "cidrs")));
      cidrs.addAll(strings(r.get("spec", "ipv6", "cidrs")));
    }
    return cidrs;
  }

  /** The objects of a cluster-scoped kind, or null when the API server does not serve it. */
  private List<GenericKubernetesResource> listOrNull(String group, String version, String kind, String plural) {
    try {
      return client.genericKubernetesResources(context(group, version, kind, plural)).list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind).withPlural(plural)
        .withNamespaced(false).build();
  }

  private static List<GenericKubernetesResource> oldestFirst(List<GenericKubernetesResource> items) {
    return items.stream().sorted(Comparator.comparing((GenericKubernetesResource r) -> String.valueOf(
        r.getMetadata().getCreationTimestamp())).thenComparing(r -> r.getMetadata().getName())).toList();
  }

  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(v -> {
        if (v instanceof String s) {
          out.add(s);
        }
      });
    }
    return out;
  }
}
