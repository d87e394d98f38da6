package io.spidernet.spiderpool.controller.init;

import static io.spidernet.spiderpool.common.config.ProcessSettings.LOG_LEVEL;

import io.spidernet.spiderpool.common.config.Setting;
import java.util.List;
import java.util.stream.Stream;

/** {@code spiderpool-controller init}'s environment: Spiderpool's {@code spiderpool-init} variables (spec 6.8). */
public final class InitSettings {
  public static final Setting<String> NAMESPACE = Setting.requiredString("SPIDERPOOL_NAMESPACE", "the release namespace");
  public static final Setting<String> CONTROLLER_NAME = Setting.string("SPIDERPOOL_CONTROLLER_NAME", "spiderpool-controller",
      "the controller Deployment (accepted for compatibility; init waits for the webhooks by retrying)");
  public static final Setting<String> AGENT_NAME = Setting.string("SPIDERPOOL_AGENT_NAME", "spiderpool-agent", "the agent DaemonSet");

  public static final Setting<String> COORDINATOR_NAME = Setting.string("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_NAME", "",
      "the default SpiderCoordinator to create (empty: none)");
  public static final Setting<String> COORDINATOR_MODE = Setting.string("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_MODE", "auto", "mode");
  public static final Setting<String> COORDINATOR_POD_CIDR_TYPE =
      Setting.string("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE", "auto", "podCIDRType");
  public static final Setting<Boolean> COORDINATOR_DETECT_GATEWAY =
      Setting.bool("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_DETECT_GATEWAY", false, "accepted for compatibility");
  public static final Setting<Boolean> COORDINATOR_DETECT_IP_CONFLICT =
      Setting.bool("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_DETECT_IP_CONFLICT", false, "accepted for compatibility");
  public static final Setting<Boolean> COORDINATOR_TUNE_POD_ROUTES =
      Setting.bool("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_TUNE_POD_ROUTES", true, "tunePodRoutes");
  public static final Setting<String> COORDINATOR_HIJACK_CIDR =
      Setting.string("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_HIJACK_CIDR", "", "hijackCIDR, a JSON list or words");
  public static final Setting<String> COORDINATOR_VETH_LINK_ADDRESS =
      Setting.string("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_VETH_LINK_ADDRESS", "", "vethLinkAddress");
  public static final Setting<Integer> COORDINATOR_VETH_MTU =
      Setting.positiveInt("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_VETH_MTU", 1500, "vethMTU");

  public static final Setting<String> V4_SUBNET_NAME = Setting.string("SPIDERPOOL_INIT_DEFAULT_IPV4_SUBNET_NAME", "", "");
  public static final Setting<String> V4_IPPOOL_NAME = Setting.string("SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_NAME", "", "");
  public static final Setting<String> V4_CIDR = Setting.string("SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_SUBNET", "", "");
  public static final Setting<String> V4_RANGES = Setting.string("SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_IPRANGES", "", "");
  public static final Setting<String> V4_GATEWAY = Setting.string("SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_GATEWAY", "", "");
  public static final Setting<String> V6_SUBNET_NAME = Setting.string("SPIDERPOOL_INIT_DEFAULT_IPV6_SUBNET_NAME", "", "");
  public static final Setting<String> V6_IPPOOL_NAME = Setting.string("SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_NAME", "", "");
  public static final Setting<String> V6_CIDR = Setting.string("SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_SUBNET", "", "");
  public static final Setting<String> V6_RANGES = Setting.string("SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_IPRANGES", "", "");
  public static final Setting<String> V6_GATEWAY = Setting.string("SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_GATEWAY", "", "");

  public static final Setting<Boolean> ENABLE_MULTUS_CONFIG = Setting.bool("SPIDERPOOL_INIT_ENABLE_MULTUS_CONFIG", false,
      "create the default SpiderMultusConfig");
  public static final Setting<Boolean> INSTALL_MULTUS = Setting.bool("SPIDERPOOL_INIT_INSTALL_MULTUS", false,
      "accepted for compatibility");
  public static final Setting<String> CNI_DIR = Setting.string("SPIDERPOOL_INIT_DEFAULT_CNI_DIR", "", "the CNI configuration dir");
  public static final Setting<String> CNI_NAME = Setting.string("SPIDERPOOL_INIT_DEFAULT_CNI_NAME", "", "defaultCniCRName");
  public static final Setting<String> CNI_NAMESPACE = Setting.string("SPIDERPOOL_INIT_DEFAULT_CNI_NAMESPACE", "",
      "namespace of the default SpiderMultusConfig (default: the release namespace)");
  public static final Setting<String> MULTUS_CONFIGMAP = Setting.string("SPIDERPOOL_INIT_MULTUS_CONFIGMAP", "",
      "accepted for compatibility");
  public static final Setting<String> READINESS_FILE = Setting.string("SPIDERPOOL_INIT_READINESS_FILE", "/etc/spiderpool/ready",
      "written when done");

  public static final Setting<String> WEBHOOK_SECRET_NAME = Setting.string("SPIDERPOOL_WEBHOOK_SECRET_NAME", "",
      "clean: the Secret the controller made for the webhook certificate (tls.method auto), deleted with the rest");

  public static final List<Setting<?>> ALL = List.of(LOG_LEVEL, NAMESPACE, CONTROLLER_NAME, AGENT_NAME, COORDINATOR_NAME,
      COORDINATOR_MODE, COORDINATOR_POD_CIDR_TYPE, COORDINATOR_DETECT_GATEWAY, COORDINATOR_DETECT_IP_CONFLICT,
      COORDINATOR_TUNE_POD_ROUTES, COORDINATOR_HIJACK_CIDR, COORDINATOR_VETH_LINK_ADDRESS, COORDINATOR_VETH_MTU, V4_SUBNET_NAME,
      V4_IPPOOL_NAME, V4_CIDR, V4_RANGES, V4_GATEWAY, V6_SUBNET_NAME, V6_IPPOOL_NAME, V6_CIDR, V6_RANGES, V6_GATEWAY,
      ENABLE_MULTUS_CONFIG, INSTALL_MULTUS, CNI_DIR, CNI_NAME, CNI_NAMESPACE, MULTUS_CONFIGMAP, READINESS_FILE);

  private InitSettings() {}

  /** {@code spiderpool-controller clean}'s: init's and the webhook Secret's name. */
  public static final List<Setting<?>> CLEAN = Stream.concat(ALL.stream(), Stream.of(WEBHOOK_SECRET_NAME)).toList();
}
