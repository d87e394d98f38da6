package io.spidernet.spiderpool.controller.init;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.common.config.Startup;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code spiderpool-controller clean}, the chart's pre-delete hook (as Spiderpool's): deletes the
 * webhook configurations first (nothing then calls a controller that is going away), strips the
 * finalizers from every Spiderpool object and deletes the Spiderpool CRDs, and with them every
 * object, then the webhook certificate's Secret the controller made (tls.method auto). Other groups'
 * CRDs (Multus's NetworkAttachmentDefinition) stay. Idempotent; blocking, on the main thread of its
 * own process; exits 0, or 1 with the API server's refusal, which names the object.
 */
public final class CleanCommand {
  private static final Logger LOG = LoggerFactory.getLogger(CleanCommand.class);
  private static final String NO_FINALIZERS = "{\"metadata\":{\"finalizers\":null}}";

  private CleanCommand() {}

  public static void main(String[] args) {
    Settings settings = Startup.settingsOrExit("spiderpool-controller clean", InitSettings.CLEAN, List.of());
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      List<String> deleted = clean(client, settings.get(InitSettings.CONTROLLER_NAME), settings.get(InitSettings.NAMESPACE),
          settings.get(InitSettings.WEBHOOK_SECRET_NAME));
      LOG.info("clean done: deleted {}", deleted.isEmpty() ? "nothing (nothing was left)" : deleted);
    } catch (KubernetesClientException e) {
      LOG.error("spiderpool-controller clean failed: {}", e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Deletes what {@link CleanCommand} says ({@code secret} in {@code namespace} unless empty);
   * returns what it deleted, by kind and name.
   */
  static List<String> clean(KubernetesClient client, String webhookName, String namespace, String secret) {
    List<String> deleted = new ArrayList<>();
    if (!client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(webhookName).delete().isEmpty()) {
      deleted.add("MutatingWebhookConfiguration/" + webhookName);
    }
    if (!client.admissionRegistration().v1().validatingWebhookConfigurations().withName(webhookName).delete().isEmpty()) {
      deleted.add("ValidatingWebhookConfiguration/" + webhookName);
    }
    for (CustomResourceDefinition crd : client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
      if (!Constants.GROUP.equals(crd.getSpec().getGroup())) {
        continue;
      }
      String version = crd.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getStorage)
          .findFirst().orElseThrow().getName();
      String kind = crd.getSpec().getNames().getKind();
      var objects = client.genericKubernetesResources(Constants.GROUP + "/" + version, kind);
      for (GenericKubernetesResource r : objects.inAnyNamespace().list().getItems()) {
        if (r.getMetadata().getFinalizers() != null && !r.getMetadata().getFinalizers().isEmpty()) {
          String ns = r.getMetadata().getNamespace();
          (ns == null ? objects.withName(r.getMetadata().getName()) : objects.inNamespace(ns).withName(r.getMetadata().getName()))
              .patch(PatchContext.of(PatchType.JSON_MERGE), NO_FINALIZERS);
        }
      }
      client.apiextensions().v1().customResourceDefinitions().resource(crd).delete();
      deleted.add("CustomResourceDefinition/" + crd.getMetadata().getName());
    }
    if (!secret.isEmpty() && !client.secrets().inNamespace(namespace).withName(secret).delete().isEmpty()) {
      deleted.add("Secret/" + secret);
    }
    return deleted;
  }
}
