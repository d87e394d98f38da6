package io.spidernet.spiderpool.it.printercolumns;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.Kubectl;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl get spiderippool} shows the seed's columns (no AGE, as with upstream's CRD), and
 * {@code -o wide} adds the priority-10 ones.
 */
@ExtendWith(KubeCluster.class)
class PrinterColumnsIT {
  @Test
  void showsTheSeedsColumns(KubernetesClient client, Kubectl kubectl, TestNamespace ns) {
    String name = ns.unique("test-ippool-6");
    SpiderIPPool pool = Fixtures.pool(name, "10.6.0.0/16", "10.6.168.60-10.6.168.69");
    IPPoolSpec spec = pool.getSpec();
    spec.ipVersion = 4L;
    spec.gateway = "10.6.0.1";
    spec.nodeName = List.of("controller-node-1");
    SpiderIPPool created = client.resource(pool).create();
    try {
      IPPoolStatus status = new IPPoolStatus();
      status.allocatedIPCount = 1L;
      status.totalIPCount = 10L;
      created.setStatus(status);
      client.resource(created).updateStatus();

      List<String> table = kubectl.run("get", "spiderippool", name).lines().toList();
      assertThat(table.get(0).split("\\s+"))
          .containsExactly("NAME", "VERSION", "SUBNET", "ALLOCATED-IP-COUNT", "TOTAL-IP-COUNT", "DEFAULT");
      assertThat(table.get(1).split("\\s+")).startsWith(name, "4", "10.6.0.0/16", "1", "10", "false");

      List<String> wide = kubectl.run("get", "sp", name, "-o", "wide").lines().toList();
      assertThat(wide.get(0).split("\\s+")).containsExactly("NAME", "VERSION", "SUBNET", "ALLOCATED-IP-COUNT",
          "TOTAL-IP-COUNT", "DEFAULT", "DISABLE", "NODENAME", "MULTUSNAME", "APP-NAMESPACE");
      assertThat(wide.get(1).split("\\s+"))
          .startsWith(name, "4", "10.6.0.0/16", "1", "10", "false", "false", "[\"controller-node-1\"]");

      assertThat(kubectl.run("get", "spiderpool", "-o", "name")).as("the spiderpool category").contains("spiderippool.spiderpool.spidernet.io/" + name);
    } finally {
      client.resource(created).delete();
    }
  }
}
