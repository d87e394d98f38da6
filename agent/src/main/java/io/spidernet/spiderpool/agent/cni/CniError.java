package io.spidernet.spiderpool.agent.cni;

/**
 * A CNI error result: printed as JSON on stdout with the code as the exit status. Codes 1-11 are
 * the CNI specification's; 50 is STATUS's "plugin not available"; 100 and up are this plugin's.
 */
public final class CniError extends RuntimeException {
  public static final int INCOMPATIBLE_VERSION = 1;
  public static final int UNSUPPORTED_FIELD = 2;
  public static final int INVALID_ENVIRONMENT = 4;
  public static final int DECODING_FAILURE = 6;
  public static final int INVALID_NETWORK_CONFIG = 7;
  public static final int TRY_AGAIN_LATER = 11;
  public static final int PLUGIN_NOT_AVAILABLE = 50;
  public static final int NO_POOL_AVAILABLE = 100;
  public static final int POOL_EXHAUSTED = 101;
  public static final int ALLOCATION_REFUSED = 102;
  public static final int RESERVATION_MISSING = 103;

  private final int code;
  private final String details;

  public CniError(int code, String msg, String details) {
    super(msg);
    this.code = code;
    this.details = details;
  }

  public CniError(int code, String msg) {
    this(code, msg, null);
  }

  public int code() {
    return code;
  }

  public String details() {
    return details;
  }
}
