package io.spidernet.spiderpool.controller;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.spidernet.spiderpool.common.config.ConfFile;
import java.nio.file.Path;

/**
 * The keys of the shared {@code conf.yml} the controller's reconcilers use (the webhooks read
 * theirs into {@link io.spidernet.spiderpool.webhook.rules.WebhookConfig}).
 *
 * @param enableStatefulSet StatefulSet pods keep their IPs across re-creation
 * @param enableKubevirtStaticIP KubeVirt VMs keep theirs
 */
public record ControllerConfig(boolean enableStatefulSet, boolean enableKubevirtStaticIP) {
  public static ControllerConfig defaults() {
    return new ControllerConfig(true, true);
  }

  public static ControllerConfig load(Path path) {
    File file = ConfFile.read(path, File.class);
    return file == null ? defaults() : new ControllerConfig(file.enableStatefulSet, file.enableKubevirtStaticIP);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class File {
    public boolean enableStatefulSet = true;
    public boolean enableKubevirtStaticIP = true;
  }
}
