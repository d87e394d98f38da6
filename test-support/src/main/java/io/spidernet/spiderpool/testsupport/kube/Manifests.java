package io.spidernet.spiderpool.testsupport.kube;

import java.util.List;
import java.util.stream.Collectors;

/** YAML of the workloads the tests on real nodes apply with kubectl. */
public final class Manifests {
  private Manifests() {}

  /**
   * A Deployment of the nodes' {@code nginx} stand-in whose pods take IPv4 addresses from {@code pools}
   * (in order, as {@code ipam.spidernet.io/ippool} says), stopping within 5 s.
   */
  public static String deployment(String namespace, String name, int replicas, List<String> pools) {
    String quoted = pools.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "));
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          replicas: %3$d
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata:
              labels: {app: %1$s}
              annotations: {ipam.spidernet.io/ippool: '{"ipv4": [%4$s]}'}
            spec:
              terminationGracePeriodSeconds: 5
              containers: [{name: app, image: nginx, imagePullPolicy: IfNotPresent}]
        """.formatted(name, namespace, replicas, quoted);
  }
}
