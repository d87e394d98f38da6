package io.spidernet.spiderpool.agent.cni;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import io.spidernet.spiderpool.common.json.BodyProblems;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One plugin invocation as the runtime made it (the {@code CNI_*} environment and stdin), validated
 * the way libcni's skeleton does: the error names the variable or field and carries the CNI code.
 */
public record CniCall(
    String command,
    String containerId,
    String netns,
    String ifName,
    Map<String, String> args,
    String cniVersion,
    JsonNode stdin,
    IpamConf ipam) {

  public static final List<String> SUPPORTED_VERSIONS = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
  private static final Pattern CONTAINER_ID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
  static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /** The {@code ipam} section of a {@code "type": "spiderpool"} configuration. */
  public record IpamConf(
      @JsonProperty("type") String type,
      @JsonProperty("default_ipv4_ippool") List<String> defaultIPv4IPPool,
      @JsonProperty("default_ipv6_ippool") List<String> defaultIPv6IPPool,
      @JsonProperty("clean_gateway") boolean cleanGateway,
      @JsonProperty("match_master_subnet") boolean matchMasterSubnet,
      @JsonProperty("ipam_unix_socket_path") String socketPath,
      @JsonProperty("log_level") String logLevel,
      @JsonProperty("log_file_path") String logFilePath,
      @JsonProperty("log_file_max_size") Integer logFileMaxSize,
      @JsonProperty("log_file_max_age") Integer logFileMaxAge,
      @JsonProperty("log_file_max_count") Integer logFileMaxCount) {}

  /** Parses and validates; throws {@link CniError} with the CNI code of the first problem. */
  public static CniCall parse(Map<String, String> env, byte[] stdin) {
    String command = env.get("CNI_COMMAND");
    if (command == null || command.isEmpty()) {
      throw new CniError(CniError.INVALID_ENVIRONMENT, "required env variables [CNI_COMMAND] missing");
    }
    if (command.equals("VERSION")) {
      String version = versionOf(stdin);
      return new CniCall(command, null, null, null, Map.of(), version, null, null);
    }
    List<String> missing = new ArrayList<>();
    boolean attachment = command.equals("ADD") || command.equals("DEL") || command.equals("CHECK");
    if (attachment) {
      for (String name : command.equals("DEL")
          ? List.of("CNI_CONTAINERID", "CNI_IFNAME", "CNI_PATH")
          : List.of("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH")) {
        if (env.get(name) == null || env.get(name).isEmpty()) {
          missing.add(name);
        }
      }
    } else if (!command.equals("STATUS") && !command.equals("GC")) {
      throw new CniError(CniError.INVALID_ENVIRONMENT, "unknown CNI_COMMAND: " + command);
    } else if (env.get("CNI_PATH") == null || env.get("CNI_PATH").isEmpty()) {
      missing.add("CNI_PATH");
    }
    if (!missing.isEmpty()) {
      throw new CniError(CniError.INVALID_ENVIRONMENT, "required env variables " + missing + " missing");
    }
    String containerId = env.get("CNI_CONTAINERID");
    String ifName = env.get("CNI_IFNAME");
    if (attachment) {
      if (!CONTAINER_ID.matcher(containerId).matches()) {
        throw new CniError(CniError.INVALID_ENVIRONMENT, "invalid characters in containerID", containerId);
      }
      validateInterfaceName(ifName);
    }
    JsonNode conf = decode(stdin);
    String version = conf.path("cniVersion").asString("");
    if (!SUPPORTED_VERSIONS.contains(version)) {
      throw new CniError(CniError.INCOMPATIBLE_VERSION,
          "unsupported specified CNI version " + (version.isEmpty() ? "(none)" : version)
              + ", supported versions: " + SUPPORTED_VERSIONS);
    }
    if (command.equals("CHECK") && version.startsWith("0.3")) {
      throw new CniError(CniError.INCOMPATIBLE_VERSION, "CHECK is not supported by CNI version " + version);
    }
    if ((command.equals("STATUS") || command.equals("GC")) && !version.equals("1.1.0")) {
      throw new CniError(CniError.INCOMPATIBLE_VERSION, command + " needs CNI version 1.1.0, not " + version);
    }
    IpamConf ipam;
    try {
      ipam = JSON.treeToValue(conf.path("ipam"), IpamConf.class);
    } catch (JacksonException e) {
      throw new CniError(CniError.INVALID_NETWORK_CONFIG, "invalid ipam section: " + BodyProblems.describe(e));
    }
    if (ipam == null || !"spiderpool".equals(ipam.type())) {
      throw new CniError(CniError.INVALID_NETWORK_CONFIG,
          "invalid ipam section: \"type\" must be \"spiderpool\", not " + (ipam == null ? "absent" : "\"" + ipam.type() + "\""));
    }
    return new CniCall(command, containerId, env.get("CNI_NETNS"), ifName, cniArgs(env.get("CNI_ARGS")), version, conf, ipam);
  }

  /** libcni's ValidateInterfaceName. */
  static void validateInterfaceName(String name) {
    String problem = null;
    if (name.length() > 15) {
      problem = "interface name is too long";
    } else if (name.equals(".") || name.equals("..")) {
      problem = "interface name is . or ..";
    } else if (name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
      problem = "interface name contains / or : or whitespace characters";
    }
    if (problem != null) {
      throw new CniError(CniError.INVALID_ENVIRONMENT, problem, name);
    }
  }

  private static JsonNode decode(byte[] stdin) {
    try {
      JsonNode conf = JSON.readTree(new String(stdin, StandardCharsets.UTF_8));
      if (conf == null || !conf.isObject()) {
        throw new CniError(CniError.DECODING_FAILURE, "network configuration on stdin is not a JSON object");
      }
      return conf;
    } catch (JacksonException e) {
      throw new CniError(CniError.DECODING_FAILURE, "cannot decode the network configuration on stdin: " + e.getOriginalMessage());
    }
  }

  /** The configuration's cniVersion, or "" when stdin is not a JSON object naming one. */
  static String versionOf(byte[] stdin) {
    try {
      JsonNode conf = JSON.readTree(new String(stdin, StandardCharsets.UTF_8));
      return conf == null ? "" : conf.path("cniVersion").asString("");
    } catch (JacksonException e) {
      return "";
    }
  }

  /** {@code K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p;K8S_POD_UID=u;IgnoreUnknown=1}. */
  static Map<String, String> cniArgs(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split(";")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_ARGS: invalid pair \"" + pair + "\"");
      }
      out.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return out;
  }

  /** A pod identity argument; ADD and CHECK need namespace and name. */
  public String podArg(String key, boolean required) {
    String v = args.get(key);
    if ((v == null || v.isEmpty()) && required) {
      throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_ARGS lacks " + key + " (is this plugin run by kubelet/Multus?)");
    }
    return v == null ? "" : v;
  }
}
