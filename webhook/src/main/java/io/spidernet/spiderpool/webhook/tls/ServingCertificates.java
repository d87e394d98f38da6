package io.spidernet.spiderpool.webhook.tls;

import io.spidernet.spiderpool.webhook.server.ServingCertificate;
import io.vertx.core.Future;

/**
 * Where the serving certificate comes from: made and kept by the controller ({@link AutoCertificates})
 * or provided as files ({@link ProvidedCertificates}: the chart's {@code provided} and
 * {@code certmanager} modes).
 */
public interface ServingCertificates {
  /** The certificate to serve now, renewed or rotated first when due. Any thread; does not block. */
  Future<ServingCertificate> current();
}
