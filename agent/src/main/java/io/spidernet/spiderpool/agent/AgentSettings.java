package io.spidernet.spiderpool.agent;

import static io.spidernet.spiderpool.common.config.ProcessSettings.ENABLED_DEBUG_METRIC;
import static io.spidernet.spiderpool.common.config.ProcessSettings.ENABLED_METRIC;
import static io.spidernet.spiderpool.common.config.ProcessSettings.IPPOOL_MAX_ALLOCATED_IPS;
import static io.spidernet.spiderpool.common.config.ProcessSettings.LOG_LEVEL;
import static io.spidernet.spiderpool.common.config.ProcessSettings.POD_NAME;
import static io.spidernet.spiderpool.common.config.ProcessSettings.POD_NAMESPACE;

import io.spidernet.spiderpool.common.config.Setting;
import java.time.Duration;
import java.util.List;

/** The agent's environment (spec section 4.4), with Spiderpool's names and defaults; the
 * shared ones are declared in {@link io.spidernet.spiderpool.common.config.ProcessSettings}. */
public final class AgentSettings {
  public static final Setting<Boolean> ENABLED_RDMA_METRIC =
      Setting.bool("SPIDERPOOL_ENABLED_RDMA_METRIC", false, "RDMA metrics (not implemented: true is refused)");
  public static final Setting<String> NODE_NAME = Setting.requiredString("SPIDERPOOL_NODE_NAME", "the node this agent serves");
  public static final Setting<Integer> HEALTH_PORT = Setting.port("SPIDERPOOL_HEALTH_PORT", 5710, "probe port");
  public static final Setting<Integer> METRIC_HTTP_PORT = Setting.port("SPIDERPOOL_METRIC_HTTP_PORT", 5711, "metrics port");
  public static final Setting<Integer> GOPS_LISTEN_PORT =
      Setting.port("SPIDERPOOL_GOPS_LISTEN_PORT", 5712, "Go's gops port; accepted for chart compatibility, unused");
  public static final Setting<Boolean> ENABLED_RELEASE_CONFLICT_IPS =
      Setting.bool("SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS", true, "release IPs found in conflict");
  public static final Setting<Duration> WAIT_SUBNET_POOL_TIME =
      Setting.seconds("SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND", 2, "pause between waits for an auto-pool");
  public static final Setting<Integer> WAIT_SUBNET_POOL_MAX_RETRIES =
      Setting.positiveInt("SPIDERPOOL_WAIT_SUBNET_POOL_MAX_RETRIES", 25, "waits for an auto-pool");

  /** Ours, not upstream's: an ADD or DEL is abandoned (and rolled back) after this long. */
  public static final Setting<Duration> IPAM_REQUEST_TIMEOUT = Setting.seconds("SPIDERPOOL_IPAM_REQUEST_TIMEOUT", 90,
      "seconds an IPAM request may take; below the plugin's 100 s, itself below kubelet's 2 minutes");
  public static final Setting<Integer> KUBE_WORKERS = Setting.positiveInt("SPIDERPOOL_KUBE_WORKERS", 16,
      "threads of the worker pool that runs Kubernetes API calls");

  public static final List<Setting<?>> ALL = List.of(
      LOG_LEVEL, ENABLED_METRIC, ENABLED_RDMA_METRIC, ENABLED_DEBUG_METRIC, POD_NAMESPACE, POD_NAME, NODE_NAME,
      HEALTH_PORT, METRIC_HTTP_PORT, GOPS_LISTEN_PORT, ENABLED_RELEASE_CONFLICT_IPS, IPPOOL_MAX_ALLOCATED_IPS,
      WAIT_SUBNET_POOL_TIME, WAIT_SUBNET_POOL_MAX_RETRIES, IPAM_REQUEST_TIMEOUT, KUBE_WORKERS);

  /** Feature switches this agent does not have: refused at start when on. */
  public static final List<Setting<Boolean>> UNSUPPORTED = List.of(ENABLED_RDMA_METRIC, ENABLED_DEBUG_METRIC);

  private AgentSettings() {}
}
