package io.spidernet.spiderpool.webhook.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the CA bundle into the {@code caBundle} of every webhook of our mutating and validating
 * configurations, when it differs (so a {@code helm upgrade} that re-rendered them is healed on the
 * next check). Blocking: worker threads only.
 */
final class CaBundles {
  private static final Logger LOG = LoggerFactory.getLogger(CaBundles.class);

  private CaBundles() {}

  /** Publishes {@code bundlePem} in configurations named {@code name}; those that do not exist are skipped. */
  static void publish(KubernetesClient client, String name, String bundlePem) {
    String encoded = Base64.getEncoder().encodeToString(bundlePem.getBytes(StandardCharsets.UTF_8));
    var mutating = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name);
    MutatingWebhookConfiguration m = mutating.get();
    if (m != null && m.getWebhooks() != null && m.getWebhooks().stream().anyMatch(w -> !encoded.equals(w.getClientConfig().getCaBundle()))) {
      mutating.edit(c -> {
        List<MutatingWebhook> hooks = c.getWebhooks();
        hooks.forEach(w -> w.getClientConfig().setCaBundle(encoded));
        return c;
      });
      LOG.info("published the webhook CA bundle in MutatingWebhookConfiguration {}", name);
    }
    var validating = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(name);
    ValidatingWebhookConfiguration v = validating.get();
    if (v != null && v.getWebhooks() != null && v.getWebhooks().stream().anyMatch(w -> !encoded.equals(w.getClientConfig().getCaBundle()))) {
      validating.edit(c -> {
        List<ValidatingWebhook> hooks = c.getWebhooks();
        hooks.forEach(w -> w.getClientConfig().setCaBundle(encoded));
        return c;
      });
      LOG.info("published the webhook CA bundle in ValidatingWebhookConfiguration {}", name);
    }
  }

  /** The CA bundle both configurations carry now, or null when they differ or are missing. */
  static String published(KubernetesClient client, String name) {
    MutatingWebhookConfiguration m = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).get();
    ValidatingWebhookConfiguration v = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(name).get();
    String bundle = null;
    for (var hooks : List.of(m == null || m.getWebhooks() == null ? List.<MutatingWebhook>of() : m.getWebhooks(),
        v == null || v.getWebhooks() == null ? List.<ValidatingWebhook>of() : v.getWebhooks())) {
      for (Object hook : hooks) {
        String b = hook instanceof MutatingWebhook mw ? mw.getClientConfig().getCaBundle()
            : ((ValidatingWebhook) hook).getClientConfig().getCaBundle();
        if (b == null || (bundle != null && !bundle.equals(b))) {
          return null;
        }
        bundle = b;
      }
    }
    return bundle == null ? null : new String(Base64.getDecoder().decode(bundle), StandardCharsets.UTF_8);
  }
}
