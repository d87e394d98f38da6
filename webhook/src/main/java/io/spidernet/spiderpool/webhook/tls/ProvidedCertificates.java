package io.spidernet.spiderpool.webhook.tls;

import io.spidernet.spiderpool.webhook.server.ServingCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * {@code tls.crt} and {@code tls.key} from a directory (a mounted Secret, written by the chart or
 * cert-manager, whose CA the chart or cert-manager's injector puts into {@code caBundle}). Re-read
 * on every call, so a renewed Secret is served without a restart.
 */
public final class ProvidedCertificates implements ServingCertificates {
  private final Vertx vertx;
  private final Path dir;

  public ProvidedCertificates(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  @Override
  public Future<ServingCertificate> current() {
    var fs = vertx.fileSystem();
    String cert = dir.resolve("tls.crt").toString();
    String key = dir.resolve("tls.key").toString();
    return fs.readFile(cert).compose(c -> fs.readFile(key).map(k -> new ServingCertificate(c.toString(), k.toString())))
        .recover(e -> Future.failedFuture(new IllegalStateException("cannot read the webhook certificate " + cert + " and key "
            + key + ": " + e.getMessage(), e)))
        .compose(certificate -> {
          try {
            Pem.certificate(certificate.certificatePem());
            Pem.privateKey(certificate.keyPem());
            return Future.succeededFuture(certificate);
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IllegalStateException("the webhook certificate in " + dir + " cannot be read: "
                + e.getMessage(), e));
          }
        });
  }
}
