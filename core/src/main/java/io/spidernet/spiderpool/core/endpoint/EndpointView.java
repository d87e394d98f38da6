package io.spidernet.spiderpool.core.endpoint;

import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import java.util.List;

/**
 * Null-safe reads of a SpiderEndpoint. Endpoints are user-writable (no status subresource): a
 * missing {@code status}, {@code current}, UID or IP list reads as absent, never as an exception.
 */
public final class EndpointView {
  private EndpointView() {}

  /** The pod UID the endpoint holds IPs for, or null when it names none. */
  public static String uid(SpiderEndpoint se) {
    return se == null || se.getStatus() == null || se.getStatus().current == null ? null : se.getStatus().current.uid;
  }

  /** The node the endpoint's pod ran on, or null. */
  public static String node(SpiderEndpoint se) {
    return se == null || se.getStatus() == null || se.getStatus().current == null ? null : se.getStatus().current.node;
  }

  /** The NICs the endpoint records; empty when it records none. */
  public static List<IPAllocationDetail> nics(SpiderEndpoint se) {
    if (se == null || se.getStatus() == null || se.getStatus().current == null || se.getStatus().current.ips == null) {
      return List.of();
    }
    return se.getStatus().current.ips.stream().filter(d -> d != null && d.nic != null).toList();
  }

  /** The owner's kind ({@code StatefulSet}, {@code VirtualMachineInstance}, ...), or null. */
  public static String ownerType(SpiderEndpoint se) {
    return se == null || se.getStatus() == null ? null : se.getStatus().ownerControllerType;
  }

  public static String ownerName(SpiderEndpoint se) {
    return se == null || se.getStatus() == null ? null : se.getStatus().ownerControllerName;
  }

  /** Whether the endpoint holds IPs for pod incarnation {@code uid}. */
  public static boolean isFor(SpiderEndpoint se, String uid) {
    return uid != null && uid.equals(uid(se));
  }

  /** {@code ns/name} of the endpoint. */
  public static String key(SpiderEndpoint se) {
    return se.getMetadata().getNamespace() + "/" + se.getMetadata().getName();
  }
}
