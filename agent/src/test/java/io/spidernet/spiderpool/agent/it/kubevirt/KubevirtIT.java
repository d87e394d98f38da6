package io.spidernet.spiderpool.agent.it.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.Crds;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A KubeVirt VM keeps its IP across launcher pods (spec 1.4, 4.2, 4.3): the endpoint and the records
 * are the VirtualMachineInstance's, a new launcher pod takes them over, DEL of a launcher pod keeps
 * them while the VM lives, and the VM's end releases them. A live migration's target pod takes the
 * IPs over without IP conflict detection (the source still answers for them). KubeVirt itself is not
 * installed: its CRDs are, and the test plays its controllers (VM owns VMI owns launcher pod).
 */
@ExtendWith(KubeCluster.class)
class KubevirtIT {
  static final String NODE = "kubevirt-node";
  static final ResourceDefinitionContext VM = context("VirtualMachine", "virtualmachines");
  static final ResourceDefinitionContext VMI = context("VirtualMachineInstance", "virtualmachineinstances");
  static final ResourceDefinitionContext MIGRATION =
      context("VirtualMachineInstanceMigration", "virtualmachineinstancemigrations");
  static Agents agents;
  static String pool;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    for (ResourceDefinitionContext c : new ResourceDefinitionContext[] {VM, VMI, MIGRATION}) {
      CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata()
          .withName(c.getPlural() + ".kubevirt.io").endMetadata().withNewSpec().withGroup("kubevirt.io")
          .withScope("Namespaced").withNewNames().withKind(c.getKind()).withPlural(c.getPlural()).endNames()
          .addNewVersion().withName("v1").withServed(true).withStorage(true).withNewSchema().withNewOpenAPIV3Schema()
          .withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema().endVersion()
          .endSpec().build();
      Crds.apply(client, crd);
    }
    pool = ns.unique("vm");
    Path conf = Files.createTempFile("spiderpool-conf", ".yml");
    Files.writeString(conf, "enableIPConflictDetection: true\n");
    agents = Agents.start(cluster, Map.of(), AgentConfig.load(conf), NODE)
        .withPools(client, Fixtures.pool(pool, "10.72.0.0/24", "10.72.0.10-10.72.0.20"));
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
  }

  @Test
  void aVmKeepsItsIPAcrossLauncherPodsUntilItEnds(KubernetesClient client, TestNamespace ns) throws Exception {
    GenericKubernetesResource vm = client.genericKubernetesResources(VM).inNamespace(ns.name())
        .resource(object("VirtualMachine", "vm1", ns, null)).create();
    GenericKubernetesResource vmi = client.genericKubernetesResources(VMI).inNamespace(ns.name())
        .resource(object("VirtualMachineInstance", "vm1", ns, vm)).create();

    Pod first = launcher(client, ns, "virt-launcher-vm1-aaaaa", vmi);
    String ip = add(first);
    SpiderEndpoint se = client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("vm1").get();
    assertThat(se).as("the endpoint is the VMI's").isNotNull();
    assertThat(se.getMetadata().getOwnerReferences()).as("it outlives the launcher pod").isNullOrEmpty();
    assertThat(se.getStatus().ownerControllerType).isEqualTo("VirtualMachineInstance");
    assertThat(records(client)).containsOnlyKeys(ip.substring(0, ip.indexOf('/')));
    assertThat(records(client).values()).singleElement().satisfies(r -> {
      assertThat(r.pod()).isEqualTo(ns.name() + "/vm1");
      assertThat(r.podUid()).isEqualTo(first.getMetadata().getUid());
    });

    // The launcher pod ends (a VM restart or migration); the VM lives on: DEL keeps the IP.
    client.resource(first).withGracePeriod(0).delete();
    client.resource(first).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
    assertThat(agents.del(NODE, first).status()).isEqualTo(200);
    assertThat(records(client)).as("the VM keeps its IP").hasSize(1);

    Pod second = launcher(client, ns, "virt-launcher-vm1-bbbbb", vmi);
    assertThat(add(second)).as("the next launcher pod gets the VM's IP").isEqualTo(ip);
    assertThat(records(client).values()).singleElement()
        .satisfies(r -> assertThat(r.podUid()).isEqualTo(second.getMetadata().getUid()));

    // A terminating launcher pod whose VMI lives keeps the IP too.
    client.resource(second).delete(); // no kubelet confirms: the pod stays terminating
    assertThat(agents.del(NODE, second).status()).isEqualTo(200);
    assertThat(records(client)).as("the VMI lives").hasSize(1);

    // The VM ends: its VMI goes, and the launcher's DEL releases the IP and the endpoint.
    client.genericKubernetesResources(VMI).inNamespace(ns.name()).withName("vm1").delete();
    client.genericKubernetesResources(VM).inNamespace(ns.name()).withName("vm1").delete();
    client.genericKubernetesResources(VMI).inNamespace(ns.name()).withName("vm1")
        .waitUntilCondition(x -> x == null, 30, TimeUnit.SECONDS);
    assertThat(agents.del(NODE, second).status()).isEqualTo(200);
    assertThat(records(client)).as("the ended VM's IP is free").isEmpty();
    assertThat(client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("vm1").get()).isNull();
    client.resource(second).withGracePeriod(0).delete();
  }

  @Test
  void aLiveMigrationsTargetPodTakesTheIPWithoutConflictDetection(KubernetesClient client, TestNamespace ns)
      throws Exception {
    GenericKubernetesResource vm = client.genericKubernetesResources(VM).inNamespace(ns.name())
        .resource(object("VirtualMachine", "vm2", ns, null)).create();
    GenericKubernetesResource vmi = client.genericKubernetesResources(VMI).inNamespace(ns.name())
        .resource(object("VirtualMachineInstance", "vm2", ns, vm)).create();
    Pod source = launcher(client, ns, "virt-launcher-vm2-aaaaa", vmi, null);
    JsonObject sourceIP = addReply(source);
    assertThat(sourceIP.getBoolean("enableIPConflictDetection")).as("detection as configured").isTrue();

    // A launcher pod naming a migration that no longer exists is an ordinary launcher pod.
    Pod stale = launcher(client, ns, "virt-launcher-vm2-bbbbb", vmi, "finished-migration");
    assertThat(addReply(stale).getBoolean("enableIPConflictDetection")).isTrue();

    client.genericKubernetesResources(MIGRATION).inNamespace(ns.name())
        .resource(object("VirtualMachineInstanceMigration", "migration-vm2", ns, null)).create();
    Pod target = launcher(client, ns, "virt-launcher-vm2-ccccc", vmi, "migration-vm2");
    JsonObject targetIP = addReply(target);
    assertThat(targetIP.getString("address")).as("the VM's IP moves with it").isEqualTo(sourceIP.getString("address"));
    assertThat(targetIP.getBoolean("enableIPConflictDetection")).as("the source still answers for the IP").isFalse();
    assertThat(targetIP.getBoolean("enableGatewayDetection")).isFalse();
    String ip = sourceIP.getString("address").substring(0, sourceIP.getString("address").indexOf('/'));
    assertThat(records(client)).containsOnlyKeys(ip);
    assertThat(records(client).get(ip).podUid()).isEqualTo(target.getMetadata().getUid());

    // The migration is done: the source launcher pod ends; its DEL leaves the VM's IP with the target.
    client.resource(source).withGracePeriod(0).delete();
    client.resource(source).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
    assertThat(agents.del(NODE, source).status()).isEqualTo(200);
    assertThat(records(client).get(ip).podUid()).isEqualTo(target.getMetadata().getUid());
  }

  private static ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1").withKind(kind)
        .withPlural(plural).withNamespaced(true).build();
  }

  private static GenericKubernetesResource object(String kind, String name, TestNamespace ns,
      GenericKubernetesResource owner) {
    var builder = new GenericKubernetesResourceBuilder().withApiVersion("kubevirt.io/v1").withKind(kind)
        .withNewMetadata().withName(name).withNamespace(ns.name());
    if (owner != null) {
      builder = builder.addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("kubevirt.io/v1")
          .withKind(owner.getKind()).withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
          .withController(true).build());
    }
    return builder.endMetadata().build();
  }

  private static Pod launcher(KubernetesClient client, TestNamespace ns, String name, GenericKubernetesResource vmi) {
    return launcher(client, ns, name, vmi, null);
  }

  /** A launcher pod of {@code vmi}; with {@code migration}, the target pod of that live migration. */
  private static Pod launcher(KubernetesClient client, TestNamespace ns, String name, GenericKubernetesResource vmi,
      String migration) {
    Map<String, String> annotations = new HashMap<>(Map.of("ipam.spidernet.io/ippool", "{\"ipv4\":[\"" + pool + "\"]}"));
    if (migration != null) {
      annotations.put("kubevirt.io/migrationJobName", migration);
    }
    return client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns.name())
        .addToAnnotations(annotations)
        .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("kubevirt.io/v1")
            .withKind("VirtualMachineInstance").withName(vmi.getMetadata().getName())
            .withUid(vmi.getMetadata().getUid()).withController(true).build())
        .endMetadata().withNewSpec().withNodeName(NODE).addNewContainer().withName("compute").withImage("virt-launcher")
        .endContainer().endSpec().build()).create();
  }

  private static String add(Pod pod) throws Exception {
    return addReply(pod).getString("address");
  }

  /** The ADD's one IP entry. */
  private static JsonObject addReply(Pod pod) throws Exception {
    AgentClient.Reply reply = agents.add(NODE, pod);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("ips").getJsonObject(0);
  }


  private static SortedMap<String, PoolIPAllocation> records(KubernetesClient client) {
    return Pools.records(client, pool);
  }
}
