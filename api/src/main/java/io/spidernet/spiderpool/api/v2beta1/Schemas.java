package io.spidernet.spiderpool.api.v2beta1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer.MergePatchCustomizer;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer.RawCustomizer;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * Schema-only types, named by fields through {@code @SchemaFrom(type = ...)}, for the few schemas
 * the CRD generator cannot infer from the Java type: enums over integers and Go-style string enums
 * (kept as plain strings in Java so that an unknown value never breaks deserialisation), and the
 * label selector. Never instantiated.
 */
final class Schemas {
  private Schemas() {}

  @SchemaCustomizer(value = RawCustomizer.class, input = "{\"type\":\"integer\",\"enum\":[4,6]}")
  static final class IPVersion {}

  @SchemaCustomizer(
      value = RawCustomizer.class,
      input = "{\"type\":\"string\",\"enum\":[\"macvlan\",\"ipvlan\",\"vlan\",\"sriov\",\"ovs\",\"ib-sriov\",\"ipoib\",\"custom\"]}")
  static final class CniType {}

  @SchemaCustomizer(
      value = RawCustomizer.class,
      input = "{\"type\":\"string\",\"enum\":[\"auto\",\"underlay\",\"overlay\",\"disabled\"]}")
  static final class CoordinatorMode {}

  @SchemaCustomizer(
      value = RawCustomizer.class,
      input = "{\"type\":\"string\",\"enum\":[\"auto\",\"cluster\",\"calico\",\"cilium\",\"none\"]}")
  static final class PodCIDRType {}

  @SchemaCustomizer(value = RawCustomizer.class, input = "{\"type\":\"string\",\"enum\":[\"manual\",\"auto\"]}")
  static final class VlanMode {}

  @SchemaCustomizer(
      value = RawCustomizer.class,
      input = "{\"type\":\"string\",\"enum\":[\"auto\",\"enable\",\"disable\"]}")
  static final class LinkState {}

  @SchemaCustomizer(value = RawCustomizer.class, input = "{\"type\":\"boolean\",\"enum\":[true,false]}")
  static final class MatchMasterSubnet {}

  /**
   * Kubernetes' LabelSelector as upstream's CRDs spell it: atomic for server-side apply, with
   * {@code key} and {@code operator} required in every expression. fabric8's model class carries
   * none of this, so the fields typed {@link LabelSelector} take their schema from here.
   */
  @SchemaCustomizer(value = MergePatchCustomizer.class, input = "{\"x-kubernetes-map-type\":\"atomic\"}")
  static final class LabelSelectorSchema {
    @SchemaFrom(type = LabelSelectorRequirements.class)
    public List<Object> matchExpressions;

    public Map<String, String> matchLabels;
  }

  @SchemaCustomizer(
      value = RawCustomizer.class,
      input = "{\"type\":\"array\",\"x-kubernetes-list-type\":\"atomic\",\"items\":{\"type\":\"object\","
          + "\"required\":[\"key\",\"operator\"],\"properties\":{\"key\":{\"type\":\"string\"},"
          + "\"operator\":{\"type\":\"string\"},\"values\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
          + "\"x-kubernetes-list-type\":\"atomic\"}}}}")
  static final class LabelSelectorRequirements {}
}
