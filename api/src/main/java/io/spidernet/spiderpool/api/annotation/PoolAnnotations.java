package io.spidernet.spiderpool.api.annotation;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.type.TypeReference;

/**
 * Parsers for the annotations that name pools: {@code ippool} and {@code ippools} on pods, and
 * the namespace default pools (spec section 2.1). Pool names may be shell globs.
 */
public final class PoolAnnotations {
  private PoolAnnotations() {}

  /** {@code ipam.spidernet.io/ippool}: candidate pools per family for the NIC being set up. */
  public record IPPool(List<String> ipv4, List<String> ipv6) {}

  /** One item of {@code ipam.spidernet.io/ippools}; {@code nic} is null in "multi-NIC without names" mode. */
  public record NicPools(String nic, List<String> ipv4, List<String> ipv6, boolean cleanGateway) {}

  private record PoolsJson(@JsonProperty("ipv4") List<String> ipv4, @JsonProperty("ipv6") List<String> ipv6) {}

  private record NicPoolsJson(
      @JsonProperty("interface") String nic,
      @JsonProperty("ipv4") List<String> ipv4,
      @JsonProperty("ipv6") List<String> ipv6,
      @JsonProperty("cleangateway") Boolean cleanGateway) {}

  public static IPPool ippool(String value) {
    String a = Annotations.IPPOOL;
    PoolsJson json = AnnotationJson.decode(a, value, new TypeReference<>() {}, "an object {\"ipv4\":[...],\"ipv6\":[...]}");
    List<String> v4 = Names.resourceNames(a, value, "ipv4", json.ipv4());
    List<String> v6 = Names.resourceNames(a, value, "ipv6", json.ipv6());
    if (v4.isEmpty() && v6.isEmpty()) {
      throw new AnnotationException(a, value, "names no IPPool in ipv4 or ipv6");
    }
    return new IPPool(v4, v6);
  }

  public static List<NicPools> ippools(String value) {
    String a = Annotations.IPPOOLS;
    List<NicPoolsJson> items = AnnotationJson.decode(a, value, new TypeReference<>() {},
        "an array [{\"interface\":\"eth0\",\"ipv4\":[...],\"ipv6\":[...]}]");
    if (items.isEmpty()) {
      throw new AnnotationException(a, value, "empty array, name at least one NIC's pools");
    }
    long named = items.stream().filter(i -> i != null && i.nic() != null && !i.nic().isEmpty()).count();
    if (named != 0 && named != items.size()) {
      throw new AnnotationException(a, value, "\"interface\" must be set on every item or on none");
    }
    Set<String> nics = new HashSet<>();
    List<NicPools> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      NicPoolsJson item = items.get(i);
      if (item == null) {
        throw new AnnotationException(a, value, "item " + i + " is null");
      }
      String nic = named == 0 ? null : Names.nic(a, value, item.nic());
      if (nic != null && !nics.add(nic)) {
        throw new AnnotationException(a, value, "interface " + nic + " is listed twice");
      }
      String where = nic == null ? "item " + i : "interface " + nic;
      List<String> v4 = Names.resourceNames(a, value, where + " ipv4", item.ipv4());
      List<String> v6 = Names.resourceNames(a, value, where + " ipv6", item.ipv6());
      if (v4.isEmpty() && v6.isEmpty()) {
        throw new AnnotationException(a, value, where + " names no IPPool in ipv4 or ipv6");
      }
      out.add(new NicPools(nic, v4, v6, Boolean.TRUE.equals(item.cleanGateway())));
    }
    return List.copyOf(out);
  }

  /**
   * {@code ipam.spidernet.io/default-ipv4-ippool} or {@code default-ipv6-ippool} on a namespace:
   * a JSON array of pool names.
   */
  public static List<String> namespaceDefaultPools(String annotation, String value) {
    List<String> names = AnnotationJson.decode(annotation, value, new TypeReference<>() {}, "a JSON array of IPPool names");
    return Names.resourceNames(annotation, value, "the list", names);
  }
}
