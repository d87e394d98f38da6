package io.spidernet.spiderpool.webhook.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The webhook's serving certificate and key, PEM encoded.
 *
 * @param certificatePem the certificate chain
 * @param keyPem the private key
 */
public record ServingCertificate(String certificatePem, String keyPem) {
  PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setCertValue(Buffer.buffer(certificatePem)).setKeyValue(Buffer.buffer(keyPem));
  }
}
