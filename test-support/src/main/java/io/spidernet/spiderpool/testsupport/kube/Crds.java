package io.spidernet.spiderpool.testsupport.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Installs CRDs (the chart's generated ones, or a test's own) and waits until they are served. */
public final class Crds {
  private Crds() {}

  public static void install(KubernetesClient client, Path repositoryRoot) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(repositoryRoot.resolve("charts/spiderpool/crds"))) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata crd : client.load(in).items()) {
          apply(client, crd);
        }
      }
    }
  }

  /** Applies one CRD (server-side) and waits until the API server serves its kind. */
  public static void apply(KubernetesClient client, HasMetadata crd) {
    client.resource(crd).fieldManager("spiderpool-tests").forceConflicts().serverSideApply();
    client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .waitUntilCondition(Crds::established, 30, TimeUnit.SECONDS);
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
  }
}
