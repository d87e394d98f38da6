package io.spidernet.spiderpool.testsupport.agent;

import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Talks to an agent's Unix socket the way CNI plugins do: JSON over HTTP, a connection per request
 * (Spiderpool's client disables keep-alive) and no cap on concurrent requests (kubelet runs one
 * plugin process per pod sandbox).
 */
public final class AgentClient {
  private final HttpClient http;
  private final SocketAddress socket;

  public AgentClient(Vertx vertx, Path socket) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false),
        new PoolOptions().setHttp1MaxSize(4096));
    this.socket = SocketAddress.domainSocketAddress(socket.toString());
  }

  /** Status code and body. */
  public record Reply(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public Future<Reply> call(HttpMethod method, String uri, JsonObject body) {
    RequestOptions options = new RequestOptions().setServer(socket).setMethod(method).setURI(uri)
        .setHost("localhost").putHeader("content-type", "application/json");
    // The body is claimed in the very callback that delivers the response, set up before the request
    // is sent: a body() asked for in a later callback, hopping threads, can miss a body that already
    // arrived and read it as empty (eclipse-vertx/vert.x#5904; fabric8 fixed the same in #7433).
    return http.request(options).compose(req -> {
      Future<Reply> reply = req.response()
          .compose(resp -> resp.body().map((Buffer b) -> new Reply(resp.statusCode(), b.toString())));
      (body == null ? req.end() : req.end(body.toBuffer())).onFailure(e -> req.reset(0, e));
      return reply;
    });
  }

  /** The ADD/DEL arguments for {@code pod}'s eth0. */
  public static JsonObject args(Pod pod) {
    return addArgs(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(), "eth0");
  }

  /**
   * The body of {@code POST /v1/cni}: a runtime's call of the plugin for {@code pod}'s eth0 in
   * sandbox {@code containerId}, with {@code conf} as its stdin.
   */
  public static JsonObject cniCall(String command, Pod pod, String containerId, String conf) {
    JsonObject env = new JsonObject().put("CNI_COMMAND", command).put("CNI_CONTAINERID", containerId)
        .put("CNI_NETNS", "/var/run/netns/x").put("CNI_IFNAME", "eth0").put("CNI_PATH", "/opt/cni/bin")
        .put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + pod.getMetadata().getNamespace()
            + ";K8S_POD_NAME=" + pod.getMetadata().getName() + ";K8S_POD_UID=" + pod.getMetadata().getUid());
    return new JsonObject().put("env", env)
        .put("stdin", Base64.getEncoder().encodeToString(conf.getBytes(StandardCharsets.UTF_8)));
  }

  public static JsonObject addArgs(String namespace, String pod, String uid, String nic) {
    return new JsonObject().put("containerID", "c-" + uid).put("ifName", nic).put("netNamespace", "/var/run/netns/" + pod)
        .put("podNamespace", namespace).put("podName", pod).put("podUID", uid);
  }
}
