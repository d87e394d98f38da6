package io.spidernet.spiderpool.api.annotation;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * Parsers for the Multus annotations Spiderpool reads to find a NIC's NetworkAttachmentDefinition
 * ({@code multusName} filtering), in both forms Multus accepts: a JSON list of selection elements,
 * or {@code [namespace/]name[@interface]} items separated by commas.
 */
public final class MultusAnnotations {
  private MultusAnnotations() {}

  /**
   * One selected network; {@code namespace} and {@code nic} are null when the annotation leaves them
   * out (the caller applies the defaults: the pod namespace, {@code net<index+1>}).
   */
  public record NetworkSelection(String namespace, String name, String nic) {
    /** {@code namespace/name}, or {@code name} when no namespace was given. */
    public String key() {
      return namespace == null ? name : namespace + "/" + name;
    }
  }

  private record SelectionJson(
      @JsonProperty("name") String name,
      @JsonProperty("namespace") String namespace,
      @JsonProperty("interface") String nic) {}

  /** {@code k8s.v1.cni.cncf.io/networks}. */
  public static List<NetworkSelection> networks(String value) {
    return parse(Annotations.MULTUS_NETWORKS, value);
  }

  /** {@code v1.multus-cni.io/default-network}: exactly one network. */
  public static NetworkSelection defaultNetwork(String value) {
    List<NetworkSelection> all = parse(Annotations.MULTUS_DEFAULT_NETWORK, value);
    if (all.size() != 1) {
      throw new AnnotationException(Annotations.MULTUS_DEFAULT_NETWORK, value,
          "expected exactly one network, found " + all.size());
    }
    return all.get(0);
  }

  /** {@code ipam.spidernet.io/default-route-nic}: a NIC name. */
  public static String defaultRouteNic(String value) {
    return Names.nic(Annotations.DEFAULT_ROUTE_NIC, value, value == null ? null : value.strip());
  }

  private static List<NetworkSelection> parse(String a, String value) {
    if (value == null || value.isBlank()) {
      throw new AnnotationException(a, value, "empty value, expected ns/name[@if] items or a JSON list");
    }
    String text = value.strip();
    List<NetworkSelection> out = new ArrayList<>();
    if (text.startsWith("[") || text.startsWith("{")) {
      List<SelectionJson> items = text.startsWith("{")
          ? List.of(AnnotationJson.decode(a, value, new TypeReference<SelectionJson>() {}, "a Multus network selection object"))
          : AnnotationJson.decode(a, value, new TypeReference<List<SelectionJson>>() {}, "a JSON list of Multus network selections");
      for (int i = 0; i < items.size(); i++) {
        SelectionJson item = items.get(i);
        if (item == null || item.name() == null || item.name().isEmpty()) {
          throw new AnnotationException(a, value, "network " + i + " has no \"name\"");
        }
        out.add(selection(a, value, item.namespace(), item.name(), item.nic()));
      }
      return List.copyOf(out);
    }
    for (String item : text.split(",")) {
      String s = item.strip();
      if (s.isEmpty()) {
        throw new AnnotationException(a, value, "empty network entry");
      }
      String nic = null;
      int at = s.indexOf('@');
      if (at >= 0) {
        nic = s.substring(at + 1);
        s = s.substring(0, at);
        if (nic.indexOf('@') >= 0) {
          throw new AnnotationException(a, value, "entry \"" + item.strip() + "\" has more than one '@'");
        }
      }
      String namespace = null;
      int slash = s.indexOf('/');
      if (slash >= 0) {
        namespace = s.substring(0, slash);
        s = s.substring(slash + 1);
        if (s.indexOf('/') >= 0) {
          throw new AnnotationException(a, value, "entry \"" + item.strip() + "\" has more than one '/'");
        }
      }
      out.add(selection(a, value, namespace, s, nic));
    }
    return List.copyOf(out);
  }

  private static NetworkSelection selection(String a, String value, String namespace, String name, String nic) {
    String ns = namespace == null || namespace.isEmpty() ? null : Names.namespace(a, value, namespace);
    String checkedNic = nic == null || nic.isEmpty() ? null : Names.nic(a, value, nic);
    return new NetworkSelection(ns, Names.objectName(a, value, name), checkedNic);
  }
}
