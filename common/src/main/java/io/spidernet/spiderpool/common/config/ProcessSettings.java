package io.spidernet.spiderpool.common.config;

/** Settings the agent and the controller both read, with Spiderpool's names and defaults. */
public final class ProcessSettings {
  public static final Setting<LogLevel> LOG_LEVEL = Setting.oneOf("SPIDERPOOL_LOG_LEVEL", LogLevel.class, LogLevel.INFO,
      LogLevel::text, "log level, applied at start");
  public static final Setting<Boolean> ENABLED_METRIC =
      Setting.bool("SPIDERPOOL_ENABLED_METRIC", false, "serve Prometheus metrics");
  public static final Setting<Boolean> ENABLED_DEBUG_METRIC =
      Setting.bool("SPIDERPOOL_ENABLED_DEBUG_METRIC", false, "debug_ metrics (not implemented: true is refused)");
  public static final Setting<String> POD_NAMESPACE =
      Setting.requiredString("SPIDERPOOL_POD_NAMESPACE", "namespace of this pod (downward API)");
  public static final Setting<String> POD_NAME = Setting.requiredString("SPIDERPOOL_POD_NAME", "name of this pod (downward API)");
  public static final Setting<Integer> IPPOOL_MAX_ALLOCATED_IPS =
      Setting.positiveInt("SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS", 5000, "records one pool may hold");

  private ProcessSettings() {}
}
