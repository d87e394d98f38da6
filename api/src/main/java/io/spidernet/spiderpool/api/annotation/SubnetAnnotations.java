package io.spidernet.spiderpool.api.annotation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.spidernet.spiderpool.api.Constants;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.type.TypeReference;

/**
 * Parsers for the SpiderSubnet auto-pool annotations on pod templates: {@code subnet},
 * {@code subnets}, {@code ippool-ip-number} and {@code ippool-reclaim} (spec section 2.1).
 * Subnet names are not globs.
 */
public final class SubnetAnnotations {
  private SubnetAnnotations() {}

  /** The subnets one NIC's auto-pools come from; only the first subnet per family is used. */
  public record NicSubnets(String nic, List<String> ipv4, List<String> ipv6) {}

  /**
   * Auto-pool size: {@code flexible} means replicas + {@code count} ({@code "+N"}), otherwise a
   * fixed {@code count} ({@code "N"}).
   */
  public record IPNumber(boolean flexible, int count) {}

  private record SubnetJson(
      @JsonProperty("interface") String nic,
      @JsonProperty("ipv4") List<String> ipv4,
      @JsonProperty("ipv6") List<String> ipv6) {}

  public static NicSubnets subnet(String value) {
    String a = Annotations.SUBNET;
    SubnetJson json = AnnotationJson.decode(a, value, new TypeReference<>() {},
        "an object {\"interface\":\"eth0\",\"ipv4\":[...],\"ipv6\":[...]}");
    return nicSubnets(a, value, json, "");
  }

  public static List<NicSubnets> subnets(String value) {
    String a = Annotations.SUBNETS;
    List<SubnetJson> items = AnnotationJson.decode(a, value, new TypeReference<>() {},
        "an array [{\"interface\":\"eth0\",\"ipv4\":[...],\"ipv6\":[...]}]");
    if (items.isEmpty()) {
      throw new AnnotationException(a, value, "empty array, name at least one NIC's subnets");
    }
    Set<String> nics = new HashSet<>();
    Set<String> subnets = new HashSet<>();
    List<NicSubnets> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        throw new AnnotationException(a, value, "item " + i + " is null");
      }
      NicSubnets item = nicSubnets(a, value, items.get(i), "item " + i + " ");
      if (!nics.add(item.nic())) {
        throw new AnnotationException(a, value, "interface " + item.nic() + " is listed twice");
      }
      for (String s : concat(item.ipv4(), item.ipv6())) {
        if (!subnets.add(s)) {
          throw new AnnotationException(a, value, "SpiderSubnet " + s + " is used by two interfaces");
        }
      }
      out.add(item);
    }
    return List.copyOf(out);
  }

  private static NicSubnets nicSubnets(String a, String value, SubnetJson json, String where) {
    String nic = json.nic() == null || json.nic().isEmpty() ? Constants.DEFAULT_NIC : Names.nic(a, value, json.nic());
    List<String> v4 = Names.resourceNames(a, value, where + "ipv4", json.ipv4());
    List<String> v6 = Names.resourceNames(a, value, where + "ipv6", json.ipv6());
    if (v4.isEmpty() && v6.isEmpty()) {
      throw new AnnotationException(a, value, where + "names no SpiderSubnet in ipv4 or ipv6");
    }
    return new NicSubnets(nic, v4, v6);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** {@code "N"} (fixed) or {@code "+N"} (replicas + N), N a non-negative integer. */
  public static IPNumber ipNumber(String value) {
    String a = Annotations.IPPOOL_IP_NUMBER;
    if (value == null || value.isEmpty()) {
      throw new AnnotationException(a, value, "empty value, expected \"N\" or \"+N\"");
    }
    boolean flexible = value.charAt(0) == '+';
    String digits = flexible ? value.substring(1) : value;
    if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new AnnotationException(a, value, "expected \"N\" or \"+N\" with N a non-negative integer");
    }
    return new IPNumber(flexible, Integer.parseInt(digits));
  }

  /** A boolean in the forms Go's strconv.ParseBool accepts; absent means true. */
  public static boolean reclaim(String value) {
    if (value == null) {
      return true;
    }
    return switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw new AnnotationException(Annotations.IPPOOL_RECLAIM, value, "expected \"true\" or \"false\"");
    };
  }
}
