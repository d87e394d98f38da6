package io.spidernet.spiderpool.controller.init;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.v2beta1.CoordinatorSpec;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.MultusCNIConfigSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderCoordinator;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderMacvlanCniConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.api.v2beta1.SubnetSpec;
import io.spidernet.spiderpool.common.config.Setting;
import io.spidernet.spiderpool.common.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code spiderpool-controller init} (spec 6.8, the chart's post-install Job): the default
 * SpiderCoordinator, subnets and pools ({@code default: true}) and SpiderMultusConfig the chart's
 * values ask for. Each object is created only when absent (a second run changes nothing); each
 * create is retried until the API server and our webhooks accept it (the controller may still be
 * starting). Blocking: a command, not a server.
 */
public final class InitDefaults {
  static final Duration PATIENCE = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(InitDefaults.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KubernetesClient client;
  private final Settings settings;

  public InitDefaults(KubernetesClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
  }

  /** Creates what is missing; answers the objects it created. */
  public List<String> run() throws InterruptedException {
    List<String> created = new ArrayList<>();
    String coordinator = settings.get(InitSettings.COORDINATOR_NAME);
    if (!coordinator.isEmpty()) {
      CoordinatorSpec spec = new CoordinatorSpec();
      spec.mode = settings.get(InitSettings.COORDINATOR_MODE);
      spec.podCIDRType = settings.get(InitSettings.COORDINATOR_POD_CIDR_TYPE);
      spec.tunePodRoutes = settings.get(InitSettings.COORDINATOR_TUNE_POD_ROUTES);
      spec.hijackCIDR = words(settings.get(InitSettings.COORDINATOR_HIJACK_CIDR)).stream().map(InitDefaults::prefixed).toList();
      spec.vethLinkAddress = settings.get(InitSettings.COORDINATOR_VETH_LINK_ADDRESS);
      spec.vethMTU = settings.get(InitSettings.COORDINATOR_VETH_MTU);
      spec.podDefaultRouteNIC = "";
      spec.podMACPrefix = "";
      SpiderCoordinator c = new SpiderCoordinator();
      c.getMetadata().setName(coordinator);
      c.setSpec(spec);
      ensure(c, created);
    }
    family(4, InitSettings.V4_SUBNET_NAME, InitSettings.V4_IPPOOL_NAME, InitSettings.V4_CIDR, InitSettings.V4_RANGES,
        InitSettings.V4_GATEWAY, created);
    family(6, InitSettings.V6_SUBNET_NAME, InitSettings.V6_IPPOOL_NAME, InitSettings.V6_CIDR, InitSettings.V6_RANGES,
        InitSettings.V6_GATEWAY, created);
    if (settings.get(InitSettings.ENABLE_MULTUS_CONFIG)) {
      ensure(defaultMultusConfig(), created);
    }
    return created;
  }

  private void family(int version, Setting<String> subnetName,
      Setting<String> poolName, Setting<String> cidr,
      Setting<String> ranges, Setting<String> gateway,
      List<String> created) throws InterruptedException {
    if (settings.get(subnetName).isEmpty() && settings.get(poolName).isEmpty()) {
      return;
    }
    String subnet = settings.get(cidr);
    if (subnet.isEmpty()) {
      throw new IllegalArgumentException(cidr.name() + " is required to create the default IPv" + version + " subnet or pool");
    }
    List<String> ips = words(settings.get(ranges));
    String gw = settings.get(gateway).isEmpty() ? null : settings.get(gateway);
    if (!settings.get(subnetName).isEmpty()) {
      SubnetSpec spec = new SubnetSpec();
      spec.ipVersion = (long) version;
      spec.subnet = subnet;
      spec.ips = ips;
      spec.gateway = gw;
      SpiderSubnet s = new SpiderSubnet();
      s.getMetadata().setName(settings.get(subnetName));
      s.setSpec(spec);
      ensure(s, created);
    }
    if (!settings.get(poolName).isEmpty()) {
      IPPoolSpec spec = new IPPoolSpec();
      spec.ipVersion = (long) version;
      spec.subnet = subnet;
      spec.ips = ips;
      spec.gateway = gw;
      spec.defaultPool = true;
      SpiderIPPool p = new SpiderIPPool();
      p.getMetadata().setName(settings.get(poolName));
      p.setSpec(spec);
      ensure(p, created);
    }
  }

  /** The default SpiderMultusConfig: {@code defaultCniCRName}, else the first CNI file's network, else {@code default}. */
  SpiderMultusConfig defaultMultusConfig() {
    String namespace = settings.get(InitSettings.CNI_NAMESPACE).isEmpty() ? settings.get(InitSettings.NAMESPACE)
        : settings.get(InitSettings.CNI_NAMESPACE);
    String name = settings.get(InitSettings.CNI_NAME);
    String type = "custom";
    String master = "";
    if (name.isEmpty()) {
      String[] found = firstNetwork(settings.get(InitSettings.CNI_DIR));
      name = found[0];
      type = found[1];
      master = found[2];
    }
    SpiderMultusConfig smc = new SpiderMultusConfig();
    smc.getMetadata().setNamespace(namespace);
    if ("k8s-pod-network".equals(name)) {
      name = "calico";
      smc.getMetadata().setAnnotations(Map.of(Annotations.MULTUS_CR_NAME, "k8s-pod-network"));
    }
    smc.getMetadata().setName(name);
    MultusCNIConfigSpec spec = new MultusCNIConfigSpec();
    spec.cniType = type;
    spec.enableCoordinator = false;
    if (type.equals("macvlan") || type.equals("ipvlan")) {
      SpiderMacvlanCniConfig config = new SpiderMacvlanCniConfig();
      config.master = List.of(master);
      if (type.equals("macvlan")) {
        spec.macvlan = config;
      } else {
        spec.ipvlan = config;
      }
    }
    smc.setSpec(spec);
    return smc;
  }

  /**
   * {name, cniType, master} of the first {@code .conf}/{@code .conflist} in {@code dir}; {"default",
   * "custom", ""} when none. Only a macvlan or ipvlan network that names its master keeps its type:
   * the webhook needs the type's block (upstream writes the type alone, which its own webhook refuses);
   * any other network is described as custom.
   */
  static String[] firstNetwork(String dir) {
    if (dir == null || dir.isEmpty() || !Files.isDirectory(Path.of(dir))) {
      return new String[] {"default", "custom", ""};
    }
    try (Stream<Path> files = Files.list(Path.of(dir))) {
      Path first = files.filter(f -> f.toString().endsWith(".conf") || f.toString().endsWith(".conflist")).sorted().findFirst()
          .orElse(null);
      if (first == null) {
        return new String[] {"default", "custom", ""};
      }
      JsonNode conf = JSON.readTree(Files.readString(first));
      String name = conf.path("name").asString("default");
      JsonNode plugin = first.toString().endsWith(".conflist") ? conf.path("plugins").path(0) : conf;
      String type = plugin.path("type").asString("");
      String master = plugin.path("master").asString("");
      boolean keeps = (type.equals("macvlan") || type.equals("ipvlan")) && !master.isEmpty();
      return new String[] {name, keeps ? type : "custom", keeps ? master : ""};
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the CNI configuration in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Creates {@code object} unless one of that name exists; retries while the API server or webhooks refuse. */
  private void ensure(HasMetadata object, List<String> created) throws InterruptedException {
    String what = object.getKind() + " " + (object.getMetadata().getNamespace() == null ? "" : object.getMetadata().getNamespace() + "/")
        + object.getMetadata().getName();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        if (client.resource(object).get() != null) {
          LOG.info("{} exists: left as it is", what);
          return;
        }
        client.resource(object).create();
        LOG.info("created {}", what);
        created.add(what);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          LOG.info("{} exists: left as it is", what);
          return;
        }
        if (e.getCode() == 422 || e.getCode() == 400 || System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot create " + what + ": " + e.getMessage(), e);
        }
        LOG.info("cannot create {} yet (attempt {}): {}", what, attempt, e.getMessage());
        Thread.sleep(Math.min(5000, 200L * attempt));
      }
    }
  }

  /** Words of a value given as a JSON list or separated by commas or spaces. */
  static List<String> words(String value) {
    String v = value.replace("\"", "").replace("\\", "").replace("[", "").replace("]", "").replace(",", " ");
    return Arrays.stream(v.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  /** A bare IP becomes /32 or /128; CIDRs are written canonically. */
  static String prefixed(String text) {
    if (text.contains("/")) {
      return Cidr.parseAny(text).toString();
    }
    IP ip = IP.parse(text);
    return ip + "/" + ip.bits();
  }
}
