package io.spidernet.spiderpool.api.v2beta1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer.MergePatchCustomizer;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer.RawCustomizer;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Schema-only types, named by fields through {@code @SchemaFrom(type = ...)}, for the few schemas
 * the CRD generator cannot infer from the Java type: enums over integers and Go-style string enums
 * (kept as plain strings in Java so that an unknown value never breaks deserialisation), and the
 * atomic label selector. Never instantiated.
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

  /** A label selector that is replaced as a whole by server-side apply, as upstream's is. */
  @SchemaCustomizer(value = MergePatchCustomizer.class, input = "{\"x-kubernetes-map-type\":\"atomic\"}")
  static final class AtomicLabelSelector extends LabelSelector {}
}
