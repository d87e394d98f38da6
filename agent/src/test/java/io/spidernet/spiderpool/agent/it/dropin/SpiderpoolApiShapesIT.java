package io.spidernet.spiderpool.agent.it.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.agent.it.Pods;
import io.spidernet.spiderpool.api.v2beta1.PodIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Spiderpool's own IPAM plugin can use this agent: requests built from the shapes Spiderpool
 * v1.2.1's OpenAPI file declares (its required fields, present but empty where a runtime leaves
 * them empty) get the answers its generated client decodes: 200 with {@code ips}, 500 with an
 * error string that keeps upstream's prefix, go-openapi's 422 object for a missing field.
 */
@ExtendWith(KubeCluster.class)
class SpiderpoolApiShapesIT {
  static final String NODE = "dropin-node";
  static final JsonNode OPENAPI = read();
  static Agents agents;
  static String pool;

  static JsonNode read() {
    return new YAMLMapper().readTree(Path.of("src/test/resources/spiderpool-v1.2.1/agent-openapi.yaml").toFile());
  }

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    pool = ns.unique("dropin");
    agents = Agents.start(cluster, Map.of(), NODE)
        .withPools(client, Fixtures.poolWithGateway(pool, "10.80.0.0/24", "10.80.0.1", "10.80.0.10-10.80.0.12"));
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
  }

  /** A body with every property the definition declares: strings as given (default ""), arrays empty, booleans false. */
  static JsonObject shaped(String definition, Map<String, String> strings) {
    JsonObject body = new JsonObject();
    OPENAPI.path("definitions").path(definition).path("properties").properties().forEach(e -> {
      switch (e.getValue().path("type").asString()) {
        case "string" -> body.put(e.getKey(), strings.getOrDefault(e.getKey(), ""));
        case "array" -> body.put(e.getKey(), new io.vertx.core.json.JsonArray());
        case "boolean" -> body.put(e.getKey(), false);
        default -> { }
      }
    });
    return body;
  }

  static List<String> required(String definition) {
    List<String> names = new ArrayList<>();
    OPENAPI.path("definitions").path(definition).path("required").forEach(n -> names.add(n.asString()));
    return names;
  }

  @Test
  void anAddWithEmptyPodUidContainerIdAndNetnsIsForTheLivePod(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod pod = Pods.onNode(client, ns.name(), NODE, "no-uid", pool);
    JsonObject add = shaped("IpamAddArgs", Map.of("ifName", "eth0", "podNamespace", ns.name(), "podName", "no-uid"));
    assertThat(add.getString("podUID")).isEmpty();
    AgentClient.Reply reply = agents.call(NODE, HttpMethod.POST, "/v1/ipam/ip", add);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject answer = reply.json();
    for (String field : required("IpamAddResponse")) {
      assertThat(answer.containsKey(field)).as("required response field " + field).isTrue();
    }
    String ip = answer.getJsonArray("ips").getJsonObject(0).getString("address");

    AgentClient.Reply again = agents.add(NODE, pod);
    assertThat(again.json().getJsonArray("ips").getJsonObject(0).getString("address"))
        .as("the same IP as an ADD naming the pod's UID").isEqualTo(ip);

    JsonObject del = shaped("IpamDelArgs", Map.of("ifName", "eth0", "podNamespace", ns.name(), "podName", "no-uid"));
    assertThat(agents.call(NODE, HttpMethod.DELETE, "/v1/ipam/ip", del).status()).isEqualTo(200);
  }

  @Test
  void aMissingRequiredFieldIsGoOpenapisObject(TestNamespace ns) throws Exception {
    for (String definition : List.of("IpamAddArgs", "IpamDelArgs")) {
      for (String field : required(definition)) {
        JsonObject body = shaped(definition, Map.of("ifName", "eth0", "podNamespace", ns.name(), "podName", "x"));
        body.remove(field);
        HttpMethod method = definition.equals("IpamAddArgs") ? HttpMethod.POST : HttpMethod.DELETE;
        AgentClient.Reply reply = agents.call(NODE, method, "/v1/ipam/ip", body);
        assertThat(reply.status()).as(definition + " without " + field).isEqualTo(422);
        assertThat(reply.json()).isEqualTo(new JsonObject().put("code", 602).put("message", field + " in body is required"));
      }
    }
  }

  @Test
  void aFailureIsAnErrorStringWithUpstreamsPrefix(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod pod = Pods.onNode(client, ns.name(), NODE, "no-pool", "no-such-pool");
    AgentClient.Reply reply = agents.add(NODE, pod);
    assertThat(reply.status()).isEqualTo(500);
    String message = new JsonObject("{\"m\":" + reply.body() + "}").getString("m");
    assertThat(message).startsWith("failed to allocate IP addresses in standard mode: ")
        .contains("no-such-pool");
  }

  @Test
  void aRequestForAFormerIncarnationIsRefusedInUpstreamsShape(KubernetesClient client, TestNamespace ns) throws Exception {
    Pods.onNode(client, ns.name(), NODE, "reborn", pool);
    JsonObject add = AgentClient.addArgs(ns.name(), "reborn", "uid-of-a-dead-incarnation", "eth0");
    AgentClient.Reply reply = agents.call(NODE, HttpMethod.POST, "/v1/ipam/ip", add);
    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.body()).startsWith("\"failed to allocate IP addresses in standard mode: ").contains("re-created");
  }

  @Test
  void anEndpointWithoutStatusReadsAsEmptyNotAsACrash(KubernetesClient client, TestNamespace ns) throws Exception {
    SpiderEndpoint bare = new SpiderEndpoint();
    bare.getMetadata().setName("hand-written");
    bare.getMetadata().setNamespace(ns.name());
    client.resource(bare).create();
    AgentClient.Reply endpoint = agents.call(NODE, HttpMethod.GET,
        "/v1/workloadendpoint?podNamespace=" + ns.name() + "&podName=hand-written", null);
    assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(200);
    assertThat(endpoint.json().getJsonArray("interfaces")).isEmpty();

    SpiderEndpoint noCurrent = new SpiderEndpoint();
    noCurrent.getMetadata().setName("half-written");
    noCurrent.getMetadata().setNamespace(ns.name());
    noCurrent.setStatus(new io.spidernet.spiderpool.api.v2beta1.WorkloadEndpointStatus());
    noCurrent.getStatus().ownerControllerName = "";
    noCurrent.getStatus().ownerControllerType = "";
    noCurrent.getStatus().current = new PodIPAllocation();
    noCurrent.getStatus().current.uid = "";
    noCurrent.getStatus().current.node = "";
    noCurrent.getStatus().current.ips = List.of();
    client.resource(noCurrent).create();
    JsonObject del = AgentClient.addArgs(ns.name(), "half-written", "some-uid", "eth0");
    assertThat(agents.call(NODE, HttpMethod.DELETE, "/v1/ipam/ip", del).status()).isEqualTo(200);
  }
}
