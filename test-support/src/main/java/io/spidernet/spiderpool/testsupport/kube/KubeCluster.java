package io.spidernet.spiderpool.testsupport.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving integration tests the real control plane: it brings the cluster up
 * once per JVM (or attaches to the running one), installs the chart's generated CRDs, and hands
 * each test class a fabric8 {@link KubernetesClient}, a fresh {@link TestNamespace} and a
 * {@link Kubectl}. Use with {@code @ExtendWith(KubeCluster.class)}.
 */
public final class KubeCluster implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(KubeCluster.class);
  private static volatile boolean crdsInstalled;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    LocalCluster cluster = LocalCluster.get();
    KubernetesClient client = client(cluster);
    installCrds(cluster, client);
    String ns = namespaceName(context.getRequiredTestClass().getSimpleName());
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    ExtensionContext.Store store = context.getStore(STORE);
    store.put(KubernetesClient.class, client);
    store.put(TestNamespace.class, new TestNamespace(ns));
    store.put(Kubectl.class, new Kubectl(cluster));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(STORE);
    KubernetesClient client = store.get(KubernetesClient.class, KubernetesClient.class);
    TestNamespace ns = store.get(TestNamespace.class, TestNamespace.class);
    if (client != null) {
      if (ns != null) {
        client.namespaces().withName(ns.name()).delete();
      }
      client.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == KubernetesClient.class || type == TestNamespace.class || type == Kubectl.class
        || type == LocalCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    if (type == LocalCluster.class) {
      return LocalCluster.get();
    }
    return e.getStore(STORE).get(type, type);
  }

  /** A client for the test cluster, with a short request timeout so a stuck call fails the test. */
  public static KubernetesClient client(LocalCluster cluster) throws IOException {
    Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
    config.setRequestTimeout(30_000);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static synchronized void installCrds(LocalCluster cluster, KubernetesClient client) throws IOException {
    if (!crdsInstalled) {
      Crds.install(client, cluster.root());
      crdsInstalled = true;
    }
  }

  private static String namespaceName(String testClass) {
    String base = testClass.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (base.length() > 40) {
      base = base.substring(0, 40);
    }
    return "it-" + base + "-" + UUID.randomUUID().toString().substring(0, 5);
  }
}
