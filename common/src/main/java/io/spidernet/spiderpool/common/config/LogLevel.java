package io.spidernet.spiderpool.common.config;

/**
 * {@code SPIDERPOOL_LOG_LEVEL}'s values, as Spiderpool spells them, and the level of our log backend
 * (slf4j-simple) each one sets; Go's {@code fatal} and {@code panic} log errors only.
 */
public enum LogLevel {
  DEBUG("debug"), INFO("info"), WARN("warn"), ERROR("error"), FATAL("error"), PANIC("error");

  private final String backendLevel;

  LogLevel(String backendLevel) {
    this.backendLevel = backendLevel;
  }

  public String text() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Sets the backend's default level, unless the JVM was started with one
   * ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel}). Must run before the first logger is created.
   */
  public void apply() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", backendLevel);
    }
    // fabric8's HTTP logging interceptor prints request headers, the bearer token among them, at
    // TRACE: it never logs below INFO here, whatever the level.
    System.setProperty("org.slf4j.simpleLogger.log." + HTTP_LOGGING_INTERCEPTOR, "info");
  }

  /** The logger that would print API requests with their Authorization header. */
  static final String HTTP_LOGGING_INTERCEPTOR = "io.fabric8.kubernetes.client.http.HttpLoggingInterceptor";
}
