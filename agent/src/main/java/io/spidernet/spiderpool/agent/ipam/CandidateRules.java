package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.core.IpamException;

import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.api.annotation.AnnotationException;
import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.annotation.PoolAnnotations;
import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IPFormatException;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which pools each NIC of a pod draws from (spec 2.2): the first rule that yields something wins —
 * the {@code ippools} annotation, the {@code ippool} annotation, the namespace's default pools, the
 * CNI configuration's default pools, then every pool with {@code spec.default: true}. Glob names are
 * expanded against the pools of their family. Families disabled in the configuration are dropped.
 * Pure.
 */
public final class CandidateRules {
  private CandidateRules() {}

  /** A request's CNI-side inputs: the NIC being set up and the IPAM configuration's defaults. */
  public record CniInputs(String nic, List<String> defaultIPv4, List<String> defaultIPv6, boolean cleanGateway,
      boolean matchMasterSubnet, String deviceId) {
    /** Inputs without SR-IOV master matching. */
    public CniInputs(String nic, List<String> defaultIPv4, List<String> defaultIPv6, boolean cleanGateway) {
      this(nic, defaultIPv4, defaultIPv6, cleanGateway, false, null);
    }
  }

  /**
   * Candidates for every NIC this ADD allocates: all NICs of an {@code ippools} annotation (the
   * first ADD allocates them all), else just the requested one.
   */
  public static List<NicCandidates> select(PodContext pod, CniInputs cni, AgentConfig config, List<SpiderIPPool> pools) {
    Map<String, String> ann = pod.annotations();
    // With the subnet feature off, upstream ignores subnet annotations; so do we. With auto-pools on,
    // AutoPoolCandidates answers before these rules.
    if ((ann.containsKey(Annotations.SUBNET) || ann.containsKey(Annotations.SUBNETS)) && config.enableSpiderSubnet()
        && !config.enableAutoPoolForApplication()) {
      throw new IpamException(IpamException.Reason.BAD_INPUT, "it's invalid to use '" + Annotations.SUBNETS + "' or '" + Annotations.SUBNET
          + "' annotation when Auto-Pool feature is disabled");
    }
    try {
      if (ann.containsKey(Annotations.IPPOOLS)) {
        return fromIppools(PoolAnnotations.ippools(ann.get(Annotations.IPPOOLS)), cni, config, pools);
      }
      if (ann.containsKey(Annotations.IPPOOL)) {
        PoolAnnotations.IPPool p = PoolAnnotations.ippool(ann.get(Annotations.IPPOOL));
        return List.of(nic(cni.nic(), cni.cleanGateway(), p.ipv4(), p.ipv6(), config, pools));
      }
      Map<String, String> nsAnn = pod.namespaceAnnotations();
      if (nsAnn.containsKey(Annotations.DEFAULT_IPV4_IPPOOL) || nsAnn.containsKey(Annotations.DEFAULT_IPV6_IPPOOL)) {
        List<String> v4 = nsAnn.containsKey(Annotations.DEFAULT_IPV4_IPPOOL)
            ? PoolAnnotations.namespaceDefaultPools(Annotations.DEFAULT_IPV4_IPPOOL, nsAnn.get(Annotations.DEFAULT_IPV4_IPPOOL))
            : List.of();
        List<String> v6 = nsAnn.containsKey(Annotations.DEFAULT_IPV6_IPPOOL)
            ? PoolAnnotations.namespaceDefaultPools(Annotations.DEFAULT_IPV6_IPPOOL, nsAnn.get(Annotations.DEFAULT_IPV6_IPPOOL))
            : List.of();
        return List.of(nic(cni.nic(), cni.cleanGateway(), v4, v6, config, pools));
      }
    } catch (AnnotationException e) {
      throw new IpamException(IpamException.Reason.BAD_INPUT, "wrong input, pod " + pod.key() + ": " + e.getMessage());
    }
    if (!cni.defaultIPv4().isEmpty() || !cni.defaultIPv6().isEmpty()) {
      return List.of(nic(cni.nic(), cni.cleanGateway(), cni.defaultIPv4(), cni.defaultIPv6(), config, pools));
    }
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    for (SpiderIPPool pool : pools) {
      if (pool.getSpec() != null && Boolean.TRUE.equals(pool.getSpec().defaultPool)) {
        int version = family(pool);
        (version == 6 ? v6 : v4).add(pool.getMetadata().getName());
      }
    }
    v4.sort(null);
    v6.sort(null);
    NicCandidates defaults = nic(cni.nic(), cni.cleanGateway(), v4, v6, config, pools);
    if (defaults.ipv4().isEmpty() && defaults.ipv6().isEmpty()) {
      throw new IpamException(IpamException.Reason.NO_POOL_AVAILABLE, "no IPPool available, no pool selection rules of any type are specified");
    }
    return List.of(defaults);
  }

  private static List<NicCandidates> fromIppools(
      List<PoolAnnotations.NicPools> items, CniInputs cni, AgentConfig config, List<SpiderIPPool> pools) {
    boolean named = items.get(0).nic() != null;
    if (named && items.stream().noneMatch(i -> i.nic().equals(cni.nic()))) {
      throw new IpamException(IpamException.Reason.BAD_INPUT, "wrong input, annotation " + Annotations.IPPOOLS + " names no pools for interface " + cni.nic());
    }
    List<NicCandidates> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      PoolAnnotations.NicPools item = items.get(i);
      // Unnamed mode binds items to NICs by order: the first is the NIC being set up.
      String nic = named ? item.nic() : (i == 0 ? cni.nic() : String.valueOf(i));
      out.add(nic(nic, item.cleanGateway(), item.ipv4(), item.ipv6(), config, pools));
    }
    return out;
  }

  private static NicCandidates nic(String nic, boolean cleanGateway, List<String> v4, List<String> v6,
      AgentConfig config, List<SpiderIPPool> pools) {
    return new NicCandidates(nic, cleanGateway,
        config.enableIPv4() ? expand(v4, 4, pools) : List.of(),
        config.enableIPv6() ? expand(v6, 6, pools) : List.of());
  }

  /** Expands globs against the pools of the family, keeping the given order; names stay as written. */
  static List<String> expand(List<String> names, int version, List<SpiderIPPool> pools) {
    Set<String> out = new LinkedHashSet<>();
    for (String name : names) {
      if (!PoolGlob.isGlob(name)) {
        out.add(name);
        continue;
      }
      Pattern pattern;
      try {
        pattern = PoolGlob.compile(name);
      } catch (IllegalArgumentException e) {
        throw new IpamException(IpamException.Reason.BAD_INPUT, "wrong input, IPPool name " + e.getMessage());
      }
      Set<String> matched = new TreeSet<>();
      for (SpiderIPPool pool : pools) {
        if (family(pool) == version && pattern.matcher(pool.getMetadata().getName()).matches()) {
          matched.add(pool.getMetadata().getName());
        }
      }
      out.addAll(matched);
    }
    return List.copyOf(out);
  }

  /** The pool's family: spec.ipVersion, else inferred from spec.subnet; 0 when neither says. */
  static int family(SpiderIPPool pool) {
    if (pool.getSpec() == null) {
      return 0;
    }
    if (pool.getSpec().ipVersion != null) {
      return pool.getSpec().ipVersion.intValue();
    }
    try {
      return Cidr.parse(pool.getSpec().subnet).version();
    } catch (IPFormatException e) {
      return 0;
    }
  }
}
