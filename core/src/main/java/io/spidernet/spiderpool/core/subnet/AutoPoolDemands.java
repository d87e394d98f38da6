package io.spidernet.spiderpool.core.subnet;

import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.annotation.SubnetAnnotations;
import io.spidernet.spiderpool.api.annotation.SubnetAnnotations.IPNumber;
import io.spidernet.spiderpool.api.annotation.SubnetAnnotations.NicSubnets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The auto-pools a pod template asks for (spec 2.1, 6.5): {@code subnets} beats {@code subnet};
 * for each NIC the first subnet of each enabled family; sized replicas + N ({@code "+N"}, and the
 * default with N = the configured redundancy) or N ({@code "N"}). Pure; throws
 * {@link io.spidernet.spiderpool.api.annotation.AnnotationException} for malformed annotations.
 */
public final class AutoPoolDemands {
  private AutoPoolDemands() {}

  /**
   * The N of the default flexible size from {@code conf.yml} (quirk 10.3): the chart writes
   * {@code clusterSubnetDefaultFlexibleIPNumber}, upstream's code reads
   * {@code clusterSubnetAutoPoolDefaultRedundantIPNumber}; both count, the latter first; 1 without either.
   */
  public static int defaultRedundancy(Integer autoPoolDefaultRedundantIPNumber, Integer defaultFlexibleIPNumber) {
    return autoPoolDefaultRedundantIPNumber != null ? autoPoolDefaultRedundantIPNumber
        : defaultFlexibleIPNumber != null ? defaultFlexibleIPNumber : 1;
  }

  /** Whether the template asks for auto-pools at all. */
  public static boolean wanted(Map<String, String> templateAnnotations) {
    return templateAnnotations != null
        && (templateAnnotations.containsKey(Annotations.SUBNETS) || templateAnnotations.containsKey(Annotations.SUBNET));
  }

  /**
   * @param replicas the application's replica count (spec 6.5)
   * @param defaultRedundancy N of the flexible size when {@code ippool-ip-number} is absent
   * @param fixedOnly whether only a fixed {@code "N"} is acceptable (third-party controllers, bare pods)
   */
  public static List<AutoPoolDemand> of(Map<String, String> templateAnnotations, int replicas, int defaultRedundancy,
      boolean ipv4, boolean ipv6, boolean fixedOnly) {
    List<NicSubnets> nics = templateAnnotations.containsKey(Annotations.SUBNETS)
        ? SubnetAnnotations.subnets(templateAnnotations.get(Annotations.SUBNETS))
        : List.of(SubnetAnnotations.subnet(templateAnnotations.get(Annotations.SUBNET)));
    String number = templateAnnotations.get(Annotations.IPPOOL_IP_NUMBER);
    IPNumber ipNumber = number == null ? new IPNumber(true, defaultRedundancy) : SubnetAnnotations.ipNumber(number);
    if (fixedOnly && ipNumber.flexible()) {
      throw new io.spidernet.spiderpool.api.annotation.AnnotationException(Annotations.IPPOOL_IP_NUMBER, number,
          "pods of this controller need a fixed number \"N\" of IPs, Spiderpool cannot know its replicas");
    }
    int size = ipNumber.flexible() ? Math.max(0, replicas) + ipNumber.count() : ipNumber.count();
    String annotation = (ipNumber.flexible() ? "+" : "") + ipNumber.count();
    boolean reclaim = SubnetAnnotations.reclaim(templateAnnotations.get(Annotations.IPPOOL_RECLAIM));
    List<AutoPoolDemand> out = new ArrayList<>();
    for (NicSubnets nic : nics) {
      if (ipv4 && !nic.ipv4().isEmpty()) {
        out.add(new AutoPoolDemand(nic.ipv4().get(0), 4, nic.nic(), size, annotation, reclaim));
      }
      if (ipv6 && !nic.ipv6().isEmpty()) {
        out.add(new AutoPoolDemand(nic.ipv6().get(0), 6, nic.nic(), size, annotation, reclaim));
      }
    }
    return out;
  }
}
