package io.spidernet.spiderpool.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.webhook.server.ServingCertificate;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code auto} certificate mode: the controller makes a CA and a serving certificate for the
 * webhook Service, keeps both in a Secret, and writes the CA into {@code caBundle} of both webhook
 * configurations. Later starts (and {@code helm upgrade}) reuse the Secret, so the CA never changes
 * underneath the API server. The serving certificate is re-issued when a third of its lifetime is
 * left. The CA is rotated in three steps, each at least {@code step} apart, so that the API server
 * never sees a certificate it cannot verify: publish old and new CA together, serve a certificate of
 * the new CA, then drop the old CA. Several controller replicas may run this at once: every Secret
 * write is guarded by its resourceVersion.
 */
public final class AutoCertificates implements ServingCertificates {
  static final String CA_CERT = "ca.crt";
  static final String CA_KEY = "ca.key";
  static final String PREVIOUS_CA_CERT = "ca-previous.crt";
  static final String TLS_CERT = "tls.crt";
  static final String TLS_KEY = "tls.key";
  static final String CA_ROTATED_AT = "spiderpool.spidernet.io/ca-rotated-at";
  static final String SERVING_ISSUED_AT = "spiderpool.spidernet.io/serving-issued-at";
  private static final Logger LOG = LoggerFactory.getLogger(AutoCertificates.class);

  /**
   * @param namespace where the Secret lives (the controller's namespace)
   * @param secretName the Secret holding CA and serving certificate
   * @param serviceName the webhook Service: the certificate names {@code svc}, {@code svc.ns}, {@code svc.ns.svc} and {@code svc.ns.svc.cluster.local}
   * @param configName the name of both webhook configurations
   * @param extraHosts more names or IP addresses for the certificate (a {@code url:} webhook on loopback: 127.0.0.1)
   * @param caValidity lifetime of a CA
   * @param servingValidity lifetime of a serving certificate
   * @param step the least time between two steps of a CA rotation
   */
  public record Settings(String namespace, String secretName, String serviceName, String configName, List<String> extraHosts,
      Duration caValidity, Duration servingValidity, Duration step) {}

  private final Kube kube;
  private final Settings settings;

  public AutoCertificates(Kube kube, Settings settings) {
    this.kube = kube;
    this.settings = settings;
  }

  @Override
  public Future<ServingCertificate> current() {
    return kube.callUnbounded(() -> ensure(Instant.now()));
  }

  /** One check: create, renew or rotate as due, publish the bundle, answer what to serve. Worker thread. */
  ServingCertificate ensure(Instant now) {
    KubernetesClient client = kube.client();
    var secrets = client.secrets().inNamespace(settings.namespace());
    Secret secret = secrets.withName(settings.secretName()).get();
    if (secret == null) {
      secret = createSecret(client, now);
    }
    State state = State.of(secret, settings.secretName());
    boolean changed = false;
    if (state.previous != null) {
      if (!state.ca.signed(state.serving)) {
        String published = CaBundles.published(client, settings.configName());
        boolean bundleOut = published == null || published.contains(Pem.encode(state.ca.certificate()));
        if (now.isAfter(state.caRotatedAt.plus(settings.step())) && bundleOut) {
          state.issue(this, now);
          changed = true;
          LOG.info("CA rotation, step 2 of 3: serving a certificate of the new CA");
        }
      } else if (now.isAfter(state.servingIssuedAt.plus(settings.step().multipliedBy(2)))) {
        state.previous = null;
        changed = true;
        LOG.info("CA rotation, step 3 of 3: the previous CA is no longer trusted");
      }
    } else if (due(state.ca.certificate(), settings.caValidity(), now)) {
      state.previous = state.ca.certificate();
      state.ca = CertificateAuthority.create(caName(), settings.caValidity());
      state.caRotatedAt = now;
      changed = true;
      LOG.info("CA rotation, step 1 of 3: publishing the new CA beside the old one (old expires {})",
          state.previous.getNotAfter().toInstant());
    }
    boolean signedByKnownCa = state.ca.signed(state.serving)
        || (state.previous != null && new CertificateAuthority(state.previous, null).signed(state.serving));
    if (!signedByKnownCa || (state.ca.signed(state.serving) && (due(state.serving, settings.servingValidity(), now) || !names(state.serving)))) {
      state.issue(this, now);
      changed = true;
      LOG.info("issued a webhook serving certificate valid until {}", state.serving.getNotAfter().toInstant());
    }
    if (changed) {
      secret = secrets.resource(state.toSecret(secret)).update();
      state = State.of(secret, settings.secretName());
    }
    CaBundles.publish(client, settings.configName(), state.bundle());
    return new ServingCertificate(Pem.encode(state.serving), Pem.encode(state.servingKey));
  }

  private Secret createSecret(KubernetesClient client, Instant now) {
    CertificateAuthority ca = CertificateAuthority.create(caName(), settings.caValidity());
    CertificateAuthority.Issued serving = issue(ca);
    Map<String, String> data = new HashMap<>();
    data.put(CA_CERT, b64(Pem.encode(ca.certificate())));
    data.put(CA_KEY, b64(Pem.encode(ca.key())));
    data.put(TLS_CERT, b64(Pem.encode(serving.certificate())));
    data.put(TLS_KEY, b64(Pem.encode(serving.key())));
    Secret secret = new SecretBuilder().withNewMetadata().withName(settings.secretName()).withNamespace(settings.namespace())
        .addToAnnotations(CA_ROTATED_AT, now.toString()).addToAnnotations(SERVING_ISSUED_AT, now.toString())
        .addToLabels("app.kubernetes.io/component", "spiderpool-controller").endMetadata()
        .withType("kubernetes.io/tls").withData(data).build();
    try {
      Secret created = client.secrets().inNamespace(settings.namespace()).resource(secret).create();
      LOG.info("created the webhook CA and serving certificate in Secret {}/{}", settings.namespace(), settings.secretName());
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        // Another replica created it first: use theirs.
        return client.secrets().inNamespace(settings.namespace()).withName(settings.secretName()).get();
      }
      throw e;
    }
  }

  CertificateAuthority.Issued issue(CertificateAuthority ca) {
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    String svc = settings.serviceName();
    String ns = settings.namespace();
    dns.addAll(List.of(svc, svc + "." + ns, svc + "." + ns + ".svc", svc + "." + ns + ".svc.cluster.local"));
    for (String host : settings.extraHosts()) {
      if (host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.contains(":")) {
        ips.add(host);
      } else {
        dns.add(host);
      }
    }
    return ca.issue(svc + "." + ns + ".svc", dns, ips, settings.servingValidity());
  }

  /** Whether the certificate still names the Service and every extra host (settings may have changed). */
  private boolean names(X509Certificate cert) {
    try {
      var sans = cert.getSubjectAlternativeNames();
      List<String> have = new ArrayList<>();
      if (sans != null) {
        sans.forEach(san -> have.add(String.valueOf(san.get(1))));
      }
      List<String> want = new ArrayList<>(List.of(settings.serviceName() + "." + settings.namespace() + ".svc"));
      want.addAll(settings.extraHosts());
      return have.containsAll(want);
    } catch (java.security.cert.CertificateParsingException e) {
      return false;
    }
  }

  private String caName() {
    return "spiderpool-webhook-ca@" + Instant.now().getEpochSecond();
  }

  /** Less than a third of {@code validity} is left (measured on the configured lifetime, not the backdated one). */
  private static boolean due(X509Certificate cert, Duration validity, Instant now) {
    return now.isAfter(cert.getNotAfter().toInstant().minus(validity.dividedBy(3)));
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The Secret's contents, parsed. */
  private static final class State {
    CertificateAuthority ca;
    X509Certificate previous;
    X509Certificate serving;
    java.security.PrivateKey servingKey;
    Instant caRotatedAt;
    Instant servingIssuedAt;

    static State of(Secret secret, String name) {
      Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
      State s = new State();
      try {
        s.ca = new CertificateAuthority(Pem.certificate(text(data, CA_CERT)), Pem.privateKey(text(data, CA_KEY)));
        s.previous = data.containsKey(PREVIOUS_CA_CERT) ? Pem.certificate(text(data, PREVIOUS_CA_CERT)) : null;
        s.serving = Pem.certificate(text(data, TLS_CERT));
        s.servingKey = Pem.privateKey(text(data, TLS_KEY));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("the webhook certificate Secret " + name + " cannot be read (" + e.getMessage()
            + "); delete it and the controller makes a new one", e);
      }
      Map<String, String> a = secret.getMetadata().getAnnotations() == null ? Map.of() : secret.getMetadata().getAnnotations();
      s.caRotatedAt = instant(a.get(CA_ROTATED_AT));
      s.servingIssuedAt = instant(a.get(SERVING_ISSUED_AT));
      return s;
    }

    void issue(AutoCertificates owner, Instant now) {
      CertificateAuthority.Issued issued = owner.issue(ca);
      serving = issued.certificate();
      servingKey = issued.key();
      servingIssuedAt = now;
    }

    String bundle() {
      return Pem.encode(ca.certificate()) + (previous == null ? "" : Pem.encode(previous));
    }

    Secret toSecret(Secret base) {
      Map<String, String> data = new HashMap<>();
      data.put(CA_CERT, b64(Pem.encode(ca.certificate())));
      data.put(CA_KEY, b64(Pem.encode(ca.key())));
      data.put(TLS_CERT, b64(Pem.encode(serving)));
      data.put(TLS_KEY, b64(Pem.encode(servingKey)));
      if (previous != null) {
        data.put(PREVIOUS_CA_CERT, b64(Pem.encode(previous)));
      }
      return new SecretBuilder(base).editMetadata().addToAnnotations(CA_ROTATED_AT, caRotatedAt.toString())
          .addToAnnotations(SERVING_ISSUED_AT, servingIssuedAt.toString()).endMetadata().withData(data).build();
    }

    private static String text(Map<String, String> data, String key) {
      String v = data.get(key);
      if (v == null) {
        throw new IllegalArgumentException("no " + key);
      }
      return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    }

    private static Instant instant(String text) {
      try {
        return text == null ? Instant.EPOCH : Instant.parse(text);
      } catch (RuntimeException e) {
        return Instant.EPOCH;
      }
    }
  }
}
