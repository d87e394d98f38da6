package io.spidernet.spiderpool.controller;

import static io.spidernet.spiderpool.common.config.ProcessSettings.ENABLED_DEBUG_METRIC;
import static io.spidernet.spiderpool.common.config.ProcessSettings.ENABLED_METRIC;
import static io.spidernet.spiderpool.common.config.ProcessSettings.IPPOOL_MAX_ALLOCATED_IPS;
import static io.spidernet.spiderpool.common.config.ProcessSettings.LOG_LEVEL;
import static io.spidernet.spiderpool.common.config.ProcessSettings.POD_NAME;
import static io.spidernet.spiderpool.common.config.ProcessSettings.POD_NAMESPACE;

import io.spidernet.spiderpool.common.config.Setting;
import java.time.Duration;
import java.util.List;

/** The controller's environment (spec section 6), with Spiderpool's names and defaults; the
 * shared ones are declared in {@link io.spidernet.spiderpool.common.config.ProcessSettings}. */
public final class ControllerSettings {
  public static final Setting<Integer> HEALTH_PORT = Setting.port("SPIDERPOOL_HEALTH_PORT", 5720, "probe port");
  public static final Setting<Integer> METRIC_HTTP_PORT = Setting.port("SPIDERPOOL_METRIC_HTTP_PORT", 5721, "metrics port");
  public static final Setting<Integer> WEBHOOK_PORT = Setting.port("SPIDERPOOL_WEBHOOK_PORT", 5722, "admission webhook HTTPS port");
  public static final Setting<String> WEBHOOK_HOST =
      Setting.string("SPIDERPOOL_WEBHOOK_HOST", "0.0.0.0", "address the admission webhooks listen on");
  public static final Setting<TlsMethod> WEBHOOK_TLS_METHOD = Setting.oneOf("SPIDERPOOL_WEBHOOK_TLS_METHOD", TlsMethod.class,
      TlsMethod.AUTO, TlsMethod::text, "webhook certificates: auto (made and kept by the controller), provided or certmanager (files)");
  public static final Setting<String> WEBHOOK_TLS_DIR = Setting.string("SPIDERPOOL_WEBHOOK_TLS_DIR", "/etc/tls",
      "directory with tls.crt and tls.key (provided and certmanager)");
  public static final Setting<String> WEBHOOK_SECRET_NAME = Setting.string("SPIDERPOOL_WEBHOOK_SECRET_NAME",
      "spiderpool-controller-server-certs", "Secret holding the webhook CA and certificate (auto)");
  public static final Setting<String> WEBHOOK_SERVICE_NAME = Setting.string("SPIDERPOOL_WEBHOOK_SERVICE_NAME",
      "spiderpool-controller", "Service the certificate is issued for (auto)");
  public static final Setting<String> WEBHOOK_CONFIGURATION_NAME = Setting.string("SPIDERPOOL_WEBHOOK_CONFIGURATION_NAME",
      "spiderpool-controller", "name of both webhook configurations whose caBundle is kept (auto)");
  public static final Setting<String> WEBHOOK_EXTRA_HOSTS = Setting.string("SPIDERPOOL_WEBHOOK_EXTRA_HOSTS", "",
      "comma-separated extra DNS names or IPs for the certificate (auto), e.g. 127.0.0.1 for a url: webhook");
  public static final Setting<Duration> WEBHOOK_CA_VALIDITY = Setting.seconds("SPIDERPOOL_WEBHOOK_CA_VALIDITY",
      10L * 365 * 24 * 3600, "CA lifetime (auto); rotated when a third is left");
  public static final Setting<Duration> WEBHOOK_CERT_VALIDITY = Setting.seconds("SPIDERPOOL_WEBHOOK_CERT_VALIDITY",
      365L * 24 * 3600, "serving certificate lifetime (auto); renewed when a third is left");
  public static final Setting<Duration> WEBHOOK_CERT_CHECK_PERIOD = Setting.seconds("SPIDERPOOL_WEBHOOK_CERT_CHECK_PERIOD",
      60, "how often certificates are checked, renewed and reloaded; also the least time between CA rotation steps");
  public static final Setting<Integer> GOPS_LISTEN_PORT =
      Setting.port("SPIDERPOOL_GOPS_LISTEN_PORT", 5724, "Go's gops port; accepted for chart compatibility, unused");

  public static final Setting<Boolean> GC_IP_ENABLED = Setting.bool("SPIDERPOOL_GC_IP_ENABLED", true, "IP garbage collection");
  public static final Setting<Boolean> GC_TERMINATING_ON_READY_NODE = Setting.bool(
      "SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_READY_NODE_ENABLED", true, "GC terminating pods on ready nodes");
  public static final Setting<Boolean> GC_TERMINATING_ON_NOT_READY_NODE = Setting.bool(
      "SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_NOT_READY_NODE_ENABLED", true, "GC terminating pods on not-ready nodes");
  public static final Setting<Boolean> GC_RUNNING_POD_ON_EMPTY_IPS = Setting.bool(
      "SPIDERPOOL_GC_ENABLE_STATELESS_RUNNING_POD_ON_EMPTY_POD_STATUS_IPS", false, "GC running pods without status IPs");
  public static final Setting<Boolean> GC_DRY_RUN = Setting.bool("SPIDERPOOL_GC_DRY_RUN", false,
      "ours: GC emits IPReleaseWouldHappen Events and releases nothing");
  public static final Setting<Integer> GC_IP_WORKER_NUM = Setting.positiveInt("SPIDERPOOL_GC_IP_WORKER_NUM", 3, "GC workers");
  public static final Setting<Integer> GC_CHANNEL_BUFFER = Setting.positiveInt("SPIDERPOOL_GC_CHANNEL_BUFFER", 5000, "GC queue");
  public static final Setting<Integer> GC_MAX_PODENTRY_DB_CAP =
      Setting.positiveInt("SPIDERPOOL_GC_MAX_PODENTRY_DB_CAP", 100000, "traced pods");
  public static final Setting<Duration> GC_DEFAULT_INTERVAL =
      Setting.seconds("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", 600, "full GC scan period");
  public static final Setting<Duration> GC_TRACE_POD_GAP =
      Setting.seconds("SPIDERPOOL_GC_TRACE_POD_GAP_DURATION", 5, "pod tracing period");
  public static final Setting<Duration> GC_SIGNAL_TIMEOUT =
      Setting.seconds("SPIDERPOOL_GC_SIGNAL_TIMEOUT_DURATION", 3, "GC signal timeout");
  public static final Setting<Duration> GC_HTTP_REQUEST_TIME_GAP =
      Setting.seconds("SPIDERPOOL_GC_HTTP_REQUEST_TIME_GAP", 1, "GC request gap");
  public static final Setting<Duration> GC_ADDITIONAL_GRACE_DELAY =
      Setting.seconds("SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY", 0, "extra grace before GC of a deleting pod");
  public static final Setting<Integer> GC_PODENTRY_MAX_RETRIES =
      Setting.positiveInt("SPIDERPOOL_GC_PODENTRY_MAX_RETRIES", 5, "GC retries per pod");
  public static final Setting<Integer> LEADER_DURATION = Setting.positiveInt("SPIDERPOOL_LEADER_DURATION", 15, "lease seconds");
  public static final Setting<Integer> LEADER_RENEW_DEADLINE =
      Setting.positiveInt("SPIDERPOOL_LEADER_RENEW_DEADLINE", 10, "lease renew deadline seconds");
  public static final Setting<Integer> LEADER_RETRY_PERIOD = Setting.positiveInt("SPIDERPOOL_LEADER_RETRY_PERIOD", 2, "seconds");
  public static final Setting<Integer> LEADER_RETRY_GAP = Setting.positiveInt("SPIDERPOOL_LEADER_RETRY_GAP", 1, "seconds");
  public static final Setting<Integer> SUBNET_RESYNC = Setting.positiveInt("SPIDERPOOL_SUBNET_INFORMER_RESYNC_PERIOD", 300, "s");
  public static final Setting<Integer> SUBNET_WORKERS = Setting.positiveInt("SPIDERPOOL_SUBNET_INFORMER_WORKERS", 5, "workers");
  public static final Setting<Integer> SUBNET_MAX_QUEUE =
      Setting.positiveInt("SPIDERPOOL_SUBNET_INFORMER_MAX_WORKQUEUE_LENGTH", 10000, "queue length");
  public static final Setting<Integer> APPLICATION_WORKERS =
      Setting.positiveInt("SPIDERPOOL_SUBNET_APPLICATION_CONTROLLER_WORKERS", 5, "workers");
  public static final Setting<Boolean> COORDINATOR_ENABLED = Setting.bool("SPIDERPOOL_COORDINATOR_ENABLED", false, "coordinator");
  public static final Setting<String> COORDINATOR_DEFAULT_NAME =
      Setting.string("SPIDERPOOL_COORDINATOR_DEAFULT_NAME", "default", "name of the SpiderCoordinator (upstream's spelling)");
  public static final Setting<Integer> COORDINATOR_RESYNC =
      Setting.positiveInt("SPIDERPOOL_COORDINATOR_INFORMER_RESYNC_PERIOD", 60, "s");
  public static final Setting<String> CNI_CONFIG_DIR = Setting.string("SPIDERPOOL_CNI_CONFIG_DIR", "/etc/cni/net.d", "CNI conf dir");
  public static final Setting<Boolean> MULTUS_CONFIG_ENABLED =
      Setting.bool("SPIDERPOOL_MULTUS_CONFIG_ENABLED", false, "SpiderMultusConfig controller");
  public static final Setting<Integer> MULTUS_CONFIG_RESYNC =
      Setting.positiveInt("SPIDERPOOL_MULTUS_CONFIG_INFORMER_RESYNC_PERIOD", 60, "s");
  public static final Setting<String> CILIUM_CONFIGMAP =
      Setting.string("SPIDERPOOL_CILIUM_CONFIGMAP_NAMESPACE_NAME", "kube-system/cilium-config", "Cilium ConfigMap");
  public static final Setting<String> CONTROLLER_DEPLOYMENT_NAME =
      Setting.string("SPIDERPOOL_CONTROLLER_DEPLOYMENT_NAME", "spiderpool-controller", "own Deployment");
  public static final Setting<Integer> IPPOOL_RESYNC = Setting.positiveInt("SPIDERPOOL_IPPOOL_INFORMER_RESYNC_PERIOD", 300, "s");
  public static final Setting<Integer> IPPOOL_WORKERS = Setting.positiveInt("SPIDERPOOL_IPPOOL_INFORMER_WORKERS", 3, "workers");
  public static final Setting<Integer> AUTO_IPPOOL_MAX_QUEUE =
      Setting.positiveInt("SPIDERPOOL_AUTO_IPPOOL_HANDLER_MAX_WORKQUEUE_LENGTH", 10000, "queue length");
  public static final Setting<Integer> WORKQUEUE_MAX_RETRIES = Setting.positiveInt("SPIDERPOOL_WORKQUEUE_MAX_RETRIES", 500, "retries");
  public static final Setting<Duration> WORKQUEUE_RETRY_DELAY =
      Setting.seconds("SPIDERPOOL_WORKQUEUE_RETRY_DELAY_DURATION", 5, "retry delay");

  public static final List<Setting<?>> ALL = List.of(
      LOG_LEVEL, ENABLED_METRIC, ENABLED_DEBUG_METRIC, POD_NAMESPACE, POD_NAME, HEALTH_PORT, METRIC_HTTP_PORT,
      WEBHOOK_PORT, WEBHOOK_HOST, WEBHOOK_TLS_METHOD, WEBHOOK_TLS_DIR, WEBHOOK_SECRET_NAME, WEBHOOK_SERVICE_NAME,
      WEBHOOK_CONFIGURATION_NAME, WEBHOOK_EXTRA_HOSTS, WEBHOOK_CA_VALIDITY, WEBHOOK_CERT_VALIDITY, WEBHOOK_CERT_CHECK_PERIOD,
      GOPS_LISTEN_PORT, GC_IP_ENABLED, GC_TERMINATING_ON_READY_NODE, GC_TERMINATING_ON_NOT_READY_NODE,
      GC_RUNNING_POD_ON_EMPTY_IPS, GC_DRY_RUN, GC_IP_WORKER_NUM, GC_CHANNEL_BUFFER, GC_MAX_PODENTRY_DB_CAP, GC_DEFAULT_INTERVAL,
      GC_TRACE_POD_GAP, GC_SIGNAL_TIMEOUT, GC_HTTP_REQUEST_TIME_GAP, GC_ADDITIONAL_GRACE_DELAY, GC_PODENTRY_MAX_RETRIES,
      LEADER_DURATION, LEADER_RENEW_DEADLINE, LEADER_RETRY_PERIOD, LEADER_RETRY_GAP, IPPOOL_MAX_ALLOCATED_IPS,
      SUBNET_RESYNC, SUBNET_WORKERS, SUBNET_MAX_QUEUE, APPLICATION_WORKERS, COORDINATOR_ENABLED,
      COORDINATOR_DEFAULT_NAME, COORDINATOR_RESYNC, CNI_CONFIG_DIR, MULTUS_CONFIG_ENABLED, MULTUS_CONFIG_RESYNC,
      CILIUM_CONFIGMAP, CONTROLLER_DEPLOYMENT_NAME, IPPOOL_RESYNC, IPPOOL_WORKERS, AUTO_IPPOOL_MAX_QUEUE,
      WORKQUEUE_MAX_RETRIES, WORKQUEUE_RETRY_DELAY);

  /** The chart's {@code spiderpoolController.tls.method}. */
  public enum TlsMethod {
    AUTO, PROVIDED, CERTMANAGER;

    String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private ControllerSettings() {}
}
