package io.spidernet.spiderpool.webhook.rules;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.spidernet.spiderpool.common.config.ConfFile;
import java.nio.file.Path;
import java.util.List;

/**
 * What the webhooks are told by the chart (the {@code spiderpool-conf} ConfigMap and the
 * controller's environment).
 *
 * @param enableIPv4 IPv4 pools, subnets and reserved IPs are admitted
 * @param enableIPv6 IPv6 ones are
 * @param enableSpiderSubnet pools are tied to the SpiderSubnet of their CIDR
 * @param validateDeletes {@code enableValidatingResourcesDeletedWebhook}: refuse deleting pools and subnets with allocated IPs
 * @param podResourceInject the pod webhook (spec 3.7)
 */
public record WebhookConfig(boolean enableIPv4, boolean enableIPv6, boolean enableSpiderSubnet, boolean validateDeletes,
    PodResourceInject podResourceInject) {

  /** {@code podResourceInject}: on or off, and which namespaces its webhook configuration selects. */
  public record PodResourceInject(boolean enabled, List<String> namespacesExclude, List<String> namespacesInclude) {
    public static final PodResourceInject OFF = new PodResourceInject(false, List.of(), List.of());
  }

  /** The chart's defaults. */
  public static WebhookConfig defaults() {
    return new WebhookConfig(true, true, true, false, PodResourceInject.OFF);
  }

  /** Reads the shared {@code conf.yml}; a missing file means the chart's defaults (the caller logs it). */
  public static WebhookConfig load(Path path) {
    File file = ConfFile.read(path, File.class);
    return (file == null ? new File() : file).toConfig();
  }

  public WebhookConfig withValidateDeletes(boolean on) {
    return new WebhookConfig(enableIPv4, enableIPv6, enableSpiderSubnet, on, podResourceInject);
  }

  /** The keys of {@code conf.yml} the webhooks use, with the chart's defaults. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  static final class File {
    public boolean enableIPv4 = true;
    public boolean enableIPv6 = true;
    public boolean enableSpiderSubnet = true;
    public boolean enableValidatingResourcesDeletedWebhook = false;
    public Inject podResourceInject = new Inject();

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Inject {
      public boolean enabled = false;
      public List<String> namespacesExclude = List.of();
      public List<String> namespacesInclude = List.of();
    }

    WebhookConfig toConfig() {
      Inject inject = podResourceInject == null ? new Inject() : podResourceInject;
      return new WebhookConfig(enableIPv4, enableIPv6, enableSpiderSubnet, enableValidatingResourcesDeletedWebhook,
          new PodResourceInject(inject.enabled, inject.namespacesExclude == null ? List.of() : inject.namespacesExclude,
              inject.namespacesInclude == null ? List.of() : inject.namespacesInclude));
    }
  }
}
