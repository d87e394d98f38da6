package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.core.pod.TopController;
import io.spidernet.spiderpool.core.IpamException;

import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.annotation.AnnotationException;
import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.annotation.MultusAnnotations;
import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ippool.LabelSelectors;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Drops the candidate pools that cannot serve this pod's NIC and orders the rest (spec 2.3): a
 * pool is dropped when it is terminating or disabled, of the other family, pinned to other nodes
 * ({@code nodeName}, else {@code nodeAffinity}), other namespaces ({@code namespaceName}, else
 * {@code namespaceAffinity}), other pods ({@code podAffinity}; for auto-pools, another application)
 * or other NetworkAttachmentDefinitions ({@code multusName}, checked only when the pool sets it, as
 * Spiderpool v1.0.0 did), or, when the CNI configuration asks, whose subnet holds no address of the
 * NIC's SR-IOV master. Survivors are sorted by how specific their affinity is; ties keep the user's
 * order. Exhaustion is not a filter: pools are tried in order during allocation. Pure.
 */
public final class PoolFilter {
  private PoolFilter() {}

  /**
   * The pools of {@code names} that may serve the NIC, most specific first.
   *
   * @param agentNamespace where bare NAD names live (the Spiderpool install namespace)
   * @param clusterNetwork the Multus cluster network ({@code MULTUS_CLUSTER_NETWORK}) or null
   */
  public static List<SpiderIPPool> filter(int version, String nic, List<String> names, PodContext pod,
      Function<String, SpiderIPPool> lookup, String agentNamespace, String clusterNetwork) {
    return filter(version, nic, names, pod, lookup, agentNamespace, clusterNetwork, null);
  }

  /**
   * As above; with {@code master} (the NIC's SR-IOV master interface, when the CNI configuration
   * asks for {@code match_master_subnet}) a pool must also have one of the master's addresses in its
   * subnet.
   */
  public static List<SpiderIPPool> filter(int version, String nic, List<String> names, PodContext pod,
      Function<String, SpiderIPPool> lookup, String agentNamespace, String clusterNetwork,
      MasterInterfaces.Master master) {
    List<SpiderIPPool> kept = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new IpamException(IpamException.Reason.BAD_INPUT, "wrong input, duplicate IPPool " + name + " specified for NIC " + nic);
      }
      SpiderIPPool pool = lookup.apply(name);
      if (pool == null) {
        throw new IpamException(IpamException.Reason.REFUSED, "failed to get original IPPool " + name + ": not found");
      }
      String reason = reject(pool, version, nic, pod, agentNamespace, clusterNetwork);
      if (reason == null && master != null && !master.within(Cidr.parse(pool.getSpec().subnet))) {
        reason = "unmatched master subnet of IPPool " + name + ": " + pool.getSpec().subnet + " contains no address of "
            + master.name() + " " + master.addresses() + ", the master of VF " + master.vf();
      }
      if (reason == null) {
        kept.add(pool);
      } else {
        reasons.add(reason);
      }
    }
    if (kept.isEmpty()) {
      throw new IpamException(IpamException.Reason.NO_POOL_AVAILABLE, "no IPPool available, all IPv" + version + " IPPools " + names + " of " + nic
          + " filtered out: " + reasons);
    }
    kept.sort(Comparator.comparingInt(PoolFilter::specificity).reversed());
    return kept;
  }

  /** Why the pool cannot serve, or null. */
  static String reject(SpiderIPPool pool, int version, String nic, PodContext pod, String agentNamespace,
      String clusterNetwork) {
    String name = pool.getMetadata().getName();
    IPPoolSpec spec = pool.getSpec();
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      return "terminating IPPool " + name;
    }
    if (spec == null) {
      return "IPPool " + name + " has no spec";
    }
    if (Boolean.TRUE.equals(spec.disable)) {
      return "disabled IPPool " + name;
    }
    int family = CandidateRules.family(pool);
    if (family != version) {
      return family == 0
          ? "IPPool " + name + " has no valid spec.subnet to tell its IP version"
          : "IPPool " + name + " is IPv" + family + ", not IPv" + version;
    }
    if (notEmpty(spec.nodeName)) {
      if (!spec.nodeName.contains(pod.node())) {
        return "unmatched Node name of IPPool " + name + ": node " + pod.node() + " is not in " + spec.nodeName;
      }
    } else if (spec.nodeAffinity != null && !LabelSelectors.matches(spec.nodeAffinity, pod.nodeLabels())) {
      return "unmatched Node affinity of IPPool " + name + ": node " + pod.node() + " labels " + pod.nodeLabels();
    }
    if (notEmpty(spec.namespaceName)) {
      if (!spec.namespaceName.contains(pod.namespace())) {
        return "unmatched Namespace name of IPPool " + name + ": " + pod.namespace() + " is not in " + spec.namespaceName;
      }
    } else if (spec.namespaceAffinity != null && !LabelSelectors.matches(spec.namespaceAffinity, pod.namespaceLabels())) {
      return "unmatched Namespace affinity of IPPool " + name;
    }
    if (spec.podAffinity != null) {
      Map<String, String> labels = pool.getMetadata().getLabels();
      if (labels != null && labels.containsKey(Constants.LABEL_OWNER_APPLICATION_NAME)) {
        if (!sameApplication(spec.podAffinity.getMatchLabels(), pod.owner())) {
          return "unmatched Pod affinity of auto-created IPPool " + name + ": it serves another application";
        }
      } else if (!LabelSelectors.matches(spec.podAffinity, pod.labels())) {
        return "unmatched Pod affinity of IPPool " + name;
      }
    }
    if (notEmpty(spec.multusName)) {
      String nad = nadOf(nic, pod, agentNamespace, clusterNetwork);
      if (nad == null) {
        return "IPPool " + name + " requires multusName " + spec.multusName + " but NIC " + nic + " has no Multus network";
      }
      boolean match = spec.multusName.stream().map(m -> m.contains("/") ? m : agentNamespace + "/" + m).anyMatch(nad::equals);
      if (!match) {
        return "unmatched Multus name of IPPool " + name + ": NIC " + nic + " uses " + nad + ", not " + spec.multusName;
      }
    }
    return null;
  }

  /**
   * The NetworkAttachmentDefinition ({@code ns/name}) of a NIC: the first NIC ({@code eth0} or
   * {@code 0}) uses the pod's default-network annotation, else the cluster network; other NICs the
   * {@code networks} entry whose interface (default {@code net<index+1>}) is the NIC.
   */
  static String nadOf(String nic, PodContext pod, String agentNamespace, String clusterNetwork) {
    try {
      if (nic.equals(Constants.DEFAULT_NIC) || nic.equals("0")) {
        String def = pod.annotations().get(Annotations.MULTUS_DEFAULT_NETWORK);
        if (def != null) {
          MultusAnnotations.NetworkSelection n = MultusAnnotations.defaultNetwork(def);
          return (n.namespace() == null ? agentNamespace : n.namespace()) + "/" + n.name();
        }
        if (clusterNetwork == null || clusterNetwork.isEmpty()) {
          return null;
        }
        return clusterNetwork.contains("/") ? clusterNetwork : agentNamespace + "/" + clusterNetwork;
      }
      String networks = pod.annotations().get(Annotations.MULTUS_NETWORKS);
      if (networks == null) {
        return null;
      }
      List<MultusAnnotations.NetworkSelection> all = MultusAnnotations.networks(networks);
      for (int i = 0; i < all.size(); i++) {
        MultusAnnotations.NetworkSelection n = all.get(i);
        String itsNic = n.nic() != null ? n.nic() : "net" + (i + 1);
        if (itsNic.equals(nic) || nic.equals(String.valueOf(i + 1))) {
          return (n.namespace() == null ? pod.namespace() : n.namespace()) + "/" + n.name();
        }
      }
      return null;
    } catch (AnnotationException e) {
      throw new IpamException(IpamException.Reason.BAD_INPUT, "wrong input, pod " + pod.key() + ": " + e.getMessage());
    }
  }

  private static boolean sameApplication(Map<String, String> want, TopController owner) {
    if (want == null) {
      return false;
    }
    return owner.group().equals(want.getOrDefault(Constants.APP_API_GROUP, ""))
        && owner.version().equals(want.get(Constants.APP_API_VERSION))
        && owner.kind().equals(want.get(Constants.APP_KIND))
        && owner.namespace().equals(want.get(Constants.APP_NAMESPACE))
        && owner.name().equals(want.get(Constants.APP_NAME));
  }

  /** podAffinity > nodeName > nodeAffinity > namespaceName > namespaceAffinity > multusName. */
  static int specificity(SpiderIPPool pool) {
    IPPoolSpec s = pool.getSpec();
    return (s.podAffinity != null ? 32 : 0) | (notEmpty(s.nodeName) ? 16 : 0) | (s.nodeAffinity != null ? 8 : 0)
        | (notEmpty(s.namespaceName) ? 4 : 0) | (s.namespaceAffinity != null ? 2 : 0) | (notEmpty(s.multusName) ? 1 : 0);
  }

  private static boolean notEmpty(List<String> list) {
    return list != null && !list.isEmpty();
  }
}
