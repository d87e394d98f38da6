package io.spidernet.spiderpool.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.Route;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** What libcni's skeleton checks, and the result shape per CNI version. */
class CniCallTest {
  static Map<String, String> env(String command) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "f3a1c0de");
    env.put("CNI_NETNS", "/var/run/netns/test-app");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/opt/cni/bin");
    env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=test-app-j9ftl;K8S_POD_UID=u1");
    return env;
  }

  static byte[] conf(String version) {
    return ("{\"cniVersion\":\"" + version + "\",\"name\":\"macvlan-conf\",\"type\":\"macvlan\",\"master\":\"eth0\","
        + "\"ipam\":{\"type\":\"spiderpool\",\"default_ipv4_ippool\":[\"test-ippool-6\"],\"clean_gateway\":false}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
  void acceptsEverySupportedVersion(String version) {
    CniCall call = CniCall.parse(env("ADD"), conf(version));
    assertThat(call.cniVersion()).isEqualTo(version);
    assertThat(call.ipam().defaultIPv4IPPool()).containsExactly("test-ippool-6");
    assertThat(call.podArg("K8S_POD_NAME", true)).isEqualTo("test-app-j9ftl");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "missing CNI_COMMAND|CNI_COMMAND||4|required env variables [CNI_COMMAND] missing",
    "missing netns on ADD|CNI_NETNS||4|required env variables [CNI_NETNS] missing",
    "missing ifname|CNI_IFNAME||4|required env variables [CNI_IFNAME] missing",
    "bad container id|CNI_CONTAINERID|-bad/id|4|invalid characters in containerID",
    "long ifname|CNI_IFNAME|averyveryverylongname|4|interface name is too long",
    "slash ifname|CNI_IFNAME|eth/0|4|interface name contains / or : or whitespace characters",
    "unknown command|CNI_COMMAND|FROB|4|unknown CNI_COMMAND: FROB",
    "bad CNI_ARGS|CNI_ARGS|novalue|4|CNI_ARGS: invalid pair \"novalue\"",
  })
  void badEnvironmentIsCode4NamingTheVariable(String what, String var, String value, int code, String msg) {
    Map<String, String> env = env("ADD");
    if (value == null) {
      env.remove(var);
    } else {
      env.put(var, value);
    }
    assertThatThrownBy(() -> CniCall.parse(env, conf("1.0.0")))
        .isInstanceOfSatisfying(CniError.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessage(msg);
  }

  @Test
  void delNeedsNoNetns() {
    Map<String, String> env = env("DEL");
    env.remove("CNI_NETNS");
    assertThat(CniCall.parse(env, conf("1.0.0")).command()).isEqualTo("DEL");
  }

  @Test
  void stdinProblemsHaveTheirCodes() {
    assertThatThrownBy(() -> CniCall.parse(env("ADD"), "{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CniError.class, e -> assertThat(e.code()).isEqualTo(6));
    assertThatThrownBy(() -> CniCall.parse(env("ADD"), conf("0.2.0")))
        .isInstanceOfSatisfying(CniError.class, e -> assertThat(e.code()).isEqualTo(1))
        .hasMessage("unsupported specified CNI version 0.2.0, supported versions: [0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0]");
    assertThatThrownBy(() -> CniCall.parse(env("ADD"),
            "{\"cniVersion\":\"1.0.0\",\"ipam\":{\"type\":\"host-local\"}}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CniError.class, e -> assertThat(e.code()).isEqualTo(7))
        .hasMessage("invalid ipam section: \"type\" must be \"spiderpool\", not \"host-local\"");
    assertThatThrownBy(() -> CniCall.parse(env("ADD"),
            "{\"cniVersion\":\"1.0.0\",\"ipam\":{\"type\":\"spiderpool\",\"default_ipv4_ippool\":\"p\"}}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CniError.class, e -> assertThat(e.code()).isEqualTo(7));
    assertThatThrownBy(() -> CniCall.parse(env("CHECK"), conf("0.3.1")))
        .isInstanceOfSatisfying(CniError.class, e -> assertThat(e.code()).isEqualTo(1));
    assertThatThrownBy(() -> CniCall.parse(env("STATUS"), conf("1.0.0")))
        .isInstanceOfSatisfying(CniError.class, e -> assertThat(e.code()).isEqualTo(1));
  }

  static List<IPAllocationDetail> nics() {
    IPAllocationDetail eth0 = new IPAllocationDetail();
    eth0.nic = "eth0";
    eth0.ipv4 = "10.6.168.60/16";
    eth0.ipv4Gateway = "10.6.0.1";
    eth0.ipv6 = "fd00:6::60/64";
    eth0.ipv6Gateway = "fd00:6::1";
    eth0.routes = List.of(new Route("10.96.0.0/12", "10.6.0.1"));
    IPAllocationDetail net1 = new IPAllocationDetail();
    net1.nic = "net1";
    net1.ipv4 = "10.7.168.60/16";
    return List.of(eth0, net1);
  }

  @ParameterizedTest
  @CsvSource({"0.3.0, true", "0.3.1, true", "0.4.0, true", "1.0.0, false", "1.1.0, false"})
  void shapesTheAddResultForTheRequestedVersion(String version, boolean hasIpVersion) {
    JsonNode r = CniResults.add(version, "eth0", nics(), false, null);
    assertThat(r.path("cniVersion").asString()).isEqualTo(version);
    assertThat(r.has("interfaces")).isFalse();
    assertThat(r.path("ips")).hasSize(2);
    assertThat(r.path("ips").get(0).path("address").asString()).isEqualTo("10.6.168.60/16");
    assertThat(r.path("ips").get(0).path("gateway").asString()).isEqualTo("10.6.0.1");
    assertThat(r.path("ips").get(0).has("interface")).isFalse();
    assertThat(r.path("ips").get(0).has("version")).isEqualTo(hasIpVersion);
    if (hasIpVersion) {
      assertThat(r.path("ips").get(1).path("version").asString()).isEqualTo("6");
    }
    assertThat(r.path("routes").valueStream().map(n -> n.path("dst").asString() + " via " + n.path("gw").asString()).toList())
        .containsExactly("0.0.0.0/0 via 10.6.0.1", "::/0 via fd00:6::1", "10.96.0.0/12 via 10.6.0.1");
  }

  @Test
  void cleanGatewayDropsTheDefaultRouteAndOnlyTheInterfacesEntryIsReturned() {
    JsonNode r = CniResults.add("1.0.0", "eth0", nics(), true, null);
    assertThat(r.path("routes").valueStream().map(n -> n.path("dst").asString()).toList()).containsExactly("10.96.0.0/12");
    JsonNode net1 = CniResults.add("1.0.0", "net1", nics(), false, null);
    assertThat(net1.path("ips")).hasSize(1);
    assertThat(net1.path("ips").get(0).path("address").asString()).isEqualTo("10.7.168.60/16");
    assertThatThrownBy(() -> CniResults.add("1.0.0", "net9", nics(), false, null))
        .hasMessage("no Interface net9 IP allocation found");
  }

  @Test
  void errorAndVersionResults() {
    assertThat(CniResults.error("0.4.0", new CniError(11, "agent unreachable", "unix:/var/run/spidernet/spiderpool.sock")).toString())
        .isEqualTo("{\"cniVersion\":\"0.4.0\",\"code\":11,\"msg\":\"agent unreachable\",\"details\":\"unix:/var/run/spidernet/spiderpool.sock\"}");
    assertThat(CniResults.version("1.0.0").toString())
        .isEqualTo("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}");
  }
}
